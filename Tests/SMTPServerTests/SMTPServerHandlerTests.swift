import NIOCore
import SMTPCore
import Testing

@testable import SMTPServer

@Suite struct SMTPServerHandlerTests {
    static let transaction =
        "EHLO client.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\n"
        + "Subject: hi\r\n\r\nbody line\r\n..leading dot\r\n.\r\n"

    @Test(arguments: [false, true])
    func acceptsAPipelinedTransaction(byteByByte: Bool) throws {
        let harness = try HandlerHarness()
        #expect(try harness.codes() == ["220"])
        try harness.send(Self.transaction + "QUIT\r\n", byteByByte: byteByByte)
        #expect(try harness.codes() == ["250", "250", "250", "354", "250", "221"])
        let message = try #require(harness.sink.messages.first)
        #expect(harness.sink.messages.count == 1)
        #expect(message.recipients.map(\.address) == ["b@dest.test"])
        var body = message.body
        let text = body.readString(length: body.readableBytes) ?? ""
        #expect(text.hasPrefix("Received: from client.test"))
        #expect(text.hasSuffix("Subject: hi\r\n\r\nbody line\r\n.leading dot\r\n"))
    }

    @Test func queueIDIsInTheReply() throws {
        let harness = try HandlerHarness()
        _ = try harness.replies()
        try harness.send(Self.transaction)
        #expect(try harness.replies().contains("250 2.0.0 Ok: queued as Q1\r\n"))
    }

    /// SMTP smuggling (CVE-2023-51764 family): "\n.\n" and "\r\n.\n" never end
    /// the message, and the message with bare LF is rejected as a whole.
    @Test(arguments: ["\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r"])
    func smugglingDoesNotEndTheMessage(separator: String) throws {
        let harness = try HandlerHarness()
        _ = try harness.replies()
        let smuggled =
            "MAIL FROM:<evil@client.test>\r\nRCPT TO:<victim@dest.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nx\r\n"
        try harness.send(
            "EHLO c\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@dest.test>\r\nDATA\r\nSubject: t\r\n\r\nhello"
                + separator + smuggled + ".\r\nQUIT\r\n")
        #expect(try harness.codes() == ["250", "250", "250", "354", "550", "221"])
        #expect(harness.sink.messages.isEmpty)
    }

    @Test func bdatChunksAreJoined() throws {
        let harness = try HandlerHarness()
        _ = try harness.replies()
        try harness.send(
            "EHLO c\r\nMAIL FROM:<a@c.test> BODY=BINARYMIME\r\nRCPT TO:<b@d.test>\r\nBDAT 11\r\nSubject: \r\nBDAT 7 LAST\r\nx\r\n\r\nyz"
        )
        #expect(try harness.codes() == ["250", "250", "250", "250", "250"])
        var body = try #require(harness.sink.messages.first).body
        #expect(body.readString(length: body.readableBytes)?.hasSuffix("Subject: \r\nx\r\n\r\nyz") == true)
    }

    @Test func bdatWithoutTransactionStillConsumesTheChunk() throws {
        let harness = try HandlerHarness()
        _ = try harness.replies()
        try harness.send("EHLO c\r\nBDAT 12 LAST\r\nRSET\r\nRSET\r\nNOOP\r\n")
        let text = try harness.replies()
        #expect(text.contains("503 5.5.1 Error: need MAIL command\r\n250 2.0.0 Ok\r\n"), "\(text.debugDescription)")
    }

    @Test func overlongCommandLineIsRejectedAndSkipped() throws {
        let harness = try HandlerHarness()
        _ = try harness.replies()
        try harness.send("EHLO c\r\nNOOP " + String(repeating: "x", count: 2000) + "\r\nNOOP\r\n")
        #expect(try harness.codes() == ["250", "500", "250"])
    }

    @Test func overlongTextLineIsRejected() throws {
        let harness = try HandlerHarness()
        _ = try harness.replies()
        try harness.send(
            "EHLO c\r\nMAIL FROM:<a@c.test>\r\nRCPT TO:<b@d.test>\r\nDATA\r\n" + String(repeating: "y", count: 1200)
                + "\r\n.\r\n")
        #expect(try harness.codes() == ["250", "250", "250", "354", "550"])
        #expect(harness.sink.messages.isEmpty)
    }

    @Test func messageOverTheSizeLimitIsRefused() throws {
        let harness = try HandlerHarness(settings: testSettings { $0.maxMessageSize = 100 })
        _ = try harness.replies()
        try harness.send(
            "EHLO c\r\nMAIL FROM:<a@c.test> SIZE=500\r\nMAIL FROM:<a@c.test>\r\nRCPT TO:<b@d.test>\r\nDATA\r\n"
                + String(repeating: "z\r\n", count: 60) + ".\r\nNOOP\r\n")
        let replies = try harness.replies()
        #expect(replies.contains("552 5.3.4 Message size exceeds fixed limit"))
        #expect(replies.contains("552 5.3.4 Error: message too big for system"))
        #expect(harness.sink.messages.isEmpty)
    }

    @Test func tooManyErrorsClosesWith421() throws {
        let harness = try HandlerHarness(settings: testSettings { $0.maxErrors = 3 })
        _ = try harness.replies()
        try harness.send("FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n")
        #expect(try harness.codes() == ["500", "500", "421"])
        #expect(!harness.channel.isActive)
    }

    @Test func storageFailureGives451() throws {
        struct Broken: Error {}
        let harness = try HandlerHarness(sink: MemorySink(failure: Broken()))
        _ = try harness.replies()
        try harness.send(Self.transaction)
        #expect(try harness.replies().contains("451 4.3.0"))
    }

    @Test func submissionRequiresAuthBeforeMail() throws {
        let harness = try HandlerHarness(
            listener: ListenerSettings(
                name: "sub", host: "127.0.0.1", port: 587, mode: .submission, allowPlaintextAuth: true))
        _ = try harness.replies()
        try harness.send("EHLO c\r\nMAIL FROM:<a@c.test>\r\n")
        #expect(try harness.replies().contains("530 5.7.0 Authentication required"))
    }
}
