import SMTPCore
import Testing

@Suite struct SMTPCommandErrorTests {
    @Test(arguments: [
        (SMTPCommandError.unrecognized("FOO"), "500 5.5.1 Command unrecognized\r\n"),
        (.syntax("Syntax: HELO hostname"), "501 5.5.2 Syntax: HELO hostname\r\n"),
        (.badSenderAddress("domain missing"), "501 5.1.7 Bad sender address syntax: domain missing\r\n"),
        (.badRecipientAddress("null recipient"), "501 5.1.3 Bad recipient address syntax: null recipient\r\n"),
        (.unknownParameter("FOO"), "555 5.5.4 Unsupported parameter FOO\r\n"),
        (.invalidParameter("Duplicate SIZE parameter"), "501 5.5.4 Duplicate SIZE parameter\r\n"),
        (.lineTooLong, "500 5.5.6 Line too long\r\n"),
    ])
    func replies(error: SMTPCommandError, expected: String) {
        #expect(wire(error.reply) == expected)
    }

    @Test func unknownVerbIsNotEchoed() throws {
        do {
            _ = try parseCommand("EVIL<script>")
            Issue.record("expected an error")
        } catch {
            #expect(!wire(error.reply).contains("EVIL"))
        }
    }

    @Test func longKeywordIsTruncated() {
        let keyword = String(repeating: "K", count: 200)
        #expect(wire(SMTPCommandError.unknownParameter(keyword).reply).count < 80)
    }
}
