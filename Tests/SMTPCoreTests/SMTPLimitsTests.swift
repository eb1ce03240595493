import SMTPCore
import Testing

@Suite struct SMTPLimitsTests {
    @Test func defaults() {
        let limits = SMTPLimits()
        #expect(limits.maxCommandLine == 512)
        #expect(limits.maxTextLine == 1000)
        #expect(limits.maxMessageSize == 52_428_800)
        #expect(limits.maxRecipients == 1000)
        #expect(limits.maxErrors == 10)
        #expect(limits.maxAuthFailures == 3)
        #expect(limits.commandTimeout == .seconds(300))
        #expect(limits.dataBlockTimeout == .seconds(180))
        #expect(limits.dataTimeout == .seconds(600))
        #expect(SMTPLimits.maxLocalPartLength == 64)
        #expect(SMTPLimits.maxDomainLength == 255)
        #expect(SMTPLimits.maxPathLength == 256)
        #expect(SMTPLimits.maxReplyLine == 512)
    }

    @Test func rfc5321Minimums() {
        let limits = SMTPLimits.rfc5321Minimums
        #expect(limits.maxCommandLine == 512)
        #expect(limits.maxTextLine == 1000)
        #expect(limits.maxRecipients == 100)
        #expect(limits.maxMessageSize == 65_536)
    }
}
