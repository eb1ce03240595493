import NIOCore
import SMTPCore
import Testing

@Suite struct SMTPReplyTests {
    @Test(arguments: [
        (SMTPReply(code: 250, "OK"), "250 OK\r\n"),
        (SMTPReply(code: 250, enhanced: .success, "OK"), "250 2.0.0 OK\r\n"),
        (SMTPReply(code: 250, enhanced: .success, ""), "250 2.0.0\r\n"),
        (SMTPReply(code: 354, ""), "354\r\n"),
        (SMTPReply(code: 354, "End data with <CR><LF>.<CR><LF>"), "354 End data with <CR><LF>.<CR><LF>\r\n"),
        (SMTPReply(code: 250, enhanced: .success, lines: ["a", "b"]), "250-2.0.0 a\r\n250 2.0.0 b\r\n"),
        (
            SMTPReply(code: 250, lines: ["mx.example.com", "PIPELINING", "8BITMIME"]),
            "250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n"
        ),
        (SMTPReply(code: 250, lines: []), "250\r\n"),
        (SMTPReply(code: 250, lines: ["a", ""]), "250-a\r\n250\r\n"),
        (SMTPReply(code: 250, lines: ["", "b"]), "250-\r\n250 b\r\n"),
        (SMTPReply(code: 550, enhanced: .relayDenied, "first\nsecond"), "550-5.7.1 first\r\n550 5.7.1 second\r\n"),
        (SMTPReply(code: 550, "first\r\nsecond"), "550-first\r\n550 second\r\n"),
        (
            SMTPReply(code: 421, enhanced: .systemNotAcceptingMessages, "mx.example.com Service not available"),
            "421 4.3.2 mx.example.com Service not available\r\n"
        ),
    ])
    func writesExactWireForm(reply: SMTPReply, expected: String) {
        #expect(wire(reply) == expected)
    }

    @Test func lineBreaksInsideLinesCannotInjectReplies() {
        let reply = SMTPReply(code: 250, lines: ["a\r\n250 b", "c\rd"])
        #expect(wire(reply) == "250-a 250 b\r\n250 c d\r\n")
    }

    @Test(arguments: [
        (220, false, false, false), (250, true, false, false), (299, true, false, false), (354, false, false, false),
        (421, false, true, false), (451, false, true, false), (500, false, false, true), (554, false, false, true),
    ])
    func classifiesCodes(code: Int, positive: Bool, transient: Bool, permanent: Bool) {
        let reply = SMTPReply(code: code, "x")
        #expect(reply.isPositiveCompletion == (positive || code == 220))
        #expect(reply.isTransientFailure == transient)
        #expect(reply.isPermanentFailure == permanent)
        #expect(reply.isPositiveIntermediate == (code == 354))
    }
}
