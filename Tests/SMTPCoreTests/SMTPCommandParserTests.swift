import NIOCore
import SMTPCore
import Testing

@Suite struct SMTPCommandParserTests {
    @Test(arguments: [
        ("HELO mx.example.com", SMTPCommand.helo("mx.example.com")),
        ("helo mx.example.com", .helo("mx.example.com")),
        ("EHLO mx.example.com", .ehlo("mx.example.com")),
        ("eHlO [192.0.2.1]", .ehlo("[192.0.2.1]")),
        ("EHLO [IPv6:2001:db8::1]", .ehlo("[IPv6:2001:db8::1]")),
        ("EHLO localhost ", .ehlo("localhost")),
        ("EHLO  two-spaces.example", .ehlo("two-spaces.example")),
        ("EHLO 例子.广告", .ehlo("例子.广告")),
        ("MAIL FROM:<>", .mail(.null, MailParameters())),
        ("mail from:<>", .mail(.null, MailParameters())),
        ("MAIL FROM: <>", .mail(.null, MailParameters())),
        ("MAIL FROM:<a@b>", .mail(.mailbox(mailbox("a", "b")), MailParameters())),
        ("MAIL FROM: <a@b>", .mail(.mailbox(mailbox("a", "b")), MailParameters())),
        ("MAIL FROM:<a@b> ", .mail(.mailbox(mailbox("a", "b")), MailParameters())),
        ("RCPT TO:<a@b>", .rcpt(.mailbox(mailbox("a", "b")), RcptParameters())),
        ("rcpt to: <a@b>", .rcpt(.mailbox(mailbox("a", "b")), RcptParameters())),
        ("RCPT TO:<Postmaster>", .rcpt(.postmaster, RcptParameters())),
        ("RCPT TO:<postMASTER>", .rcpt(.postmaster, RcptParameters())),
        ("RCPT TO:<Postmaster@example.com>", .rcpt(.mailbox(mailbox("Postmaster", "example.com")), RcptParameters())),
        (
            "RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>",
            .rcpt(.mailbox(mailbox("userc", "d.bar.org")), RcptParameters())
        ),
        ("DATA", .data),
        ("data", .data),
        ("DATA ", .data),
        ("RSET", .rset),
        ("QUIT", .quit),
        ("STARTTLS", .startTLS),
        ("StartTLS", .startTLS),
        ("NOOP", .noop),
        ("NOOP anything at all", .noop),
        ("HELP", .help(nil)),
        ("HELP MAIL", .help("MAIL")),
        ("HELP mail from", .help("mail from")),
        ("VRFY Smith", .vrfy("Smith")),
        ("VRFY <smith@example.com>", .vrfy("<smith@example.com>")),
        ("EXPN Example-People", .expn("Example-People")),
        ("BDAT 0 LAST", .bdat(chunkSize: 0, last: true)),
        ("BDAT 86 LAST", .bdat(chunkSize: 86, last: true)),
        ("bdat 1000 last", .bdat(chunkSize: 1000, last: true)),
        ("BDAT 100000", .bdat(chunkSize: 100_000, last: false)),
        ("BDAT 00012", .bdat(chunkSize: 12, last: false)),
        ("AUTH PLAIN", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("auth plain", .auth(mechanism: "PLAIN", initialResponse: nil)),
        ("AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=", .auth(mechanism: "PLAIN", initialResponse: "dGVzdAB0ZXN0AHRlc3Q=")),
        ("AUTH PLAIN =", .auth(mechanism: "PLAIN", initialResponse: "=")),
        ("AUTH LOGIN", .auth(mechanism: "LOGIN", initialResponse: nil)),
        ("AUTH SCRAM-SHA-256", .auth(mechanism: "SCRAM-SHA-256", initialResponse: nil)),
        ("AUTH XOAUTH2 dXNlcj0=", .auth(mechanism: "XOAUTH2", initialResponse: "dXNlcj0=")),
        ("AUTH X_MECH", .auth(mechanism: "X_MECH", initialResponse: nil)),
    ])
    func parsesCommands(line: String, expected: SMTPCommand) throws {
        #expect(try parseCommand(line) == expected)
    }

    @Test(arguments: [
        ("", SMTPCommandError.unrecognized("")),
        ("FOO", .unrecognized("FOO")),
        ("MAILFROM:<a@b>", .unrecognized("MAILFROM:<A@B>")),
        ("EHLO", .syntax("Syntax: EHLO hostname")),
        ("HELO", .syntax("Syntax: HELO hostname")),
        ("HELO a b", .syntax("Syntax: HELO hostname")),
        ("DATA x", .syntax("DATA takes no argument")),
        ("RSET x", .syntax("RSET takes no argument")),
        ("QUIT now", .syntax("QUIT takes no argument")),
        ("STARTTLS x", .syntax("STARTTLS takes no argument")),
        ("VRFY", .syntax("Syntax: VRFY string")),
        ("EXPN", .syntax("Syntax: EXPN string")),
        ("MAIL", .syntax("Syntax: MAIL FROM:<address>")),
        ("MAIL TO:<a@b>", .syntax("Syntax: MAIL FROM:<address>")),
        ("MAIL FROM:", .syntax("Syntax: MAIL FROM:<address>")),
        ("MAIL FROM: ", .syntax("Syntax: MAIL FROM:<address>")),
        ("MAIL FROM <a@b>", .syntax("Syntax: MAIL FROM:<address>")),
        ("MAIL FROM:  <a@b>", .badSenderAddress("angle brackets required")),
        ("MAIL FROM:<a@b>SIZE=1", .syntax("Syntax: MAIL FROM:<address> [parameters]")),
        ("RCPT", .syntax("Syntax: RCPT TO:<address>")),
        ("RCPT FROM:<a@b>", .syntax("Syntax: RCPT TO:<address>")),
        ("RCPT TO:<>", .badRecipientAddress("null recipient")),
        ("RCPT TO:a@b", .badRecipientAddress("angle brackets required")),
        ("RCPT TO:<a@b>x", .syntax("Syntax: RCPT TO:<address> [parameters]")),
        ("RCPT TO:<Postmaster>x", .syntax("Syntax: RCPT TO:<address> [parameters]")),
        ("BDAT", .syntax("Syntax: BDAT size [LAST]")),
        ("BDAT x", .syntax("Syntax: BDAT size [LAST]")),
        ("BDAT -1", .syntax("Syntax: BDAT size [LAST]")),
        ("BDAT 10 FIRST", .syntax("Syntax: BDAT size [LAST]")),
        ("BDAT 10 LAST x", .syntax("Syntax: BDAT size [LAST]")),
        ("BDAT 1234567890123456789", .syntax("Syntax: BDAT size [LAST]")),
        ("AUTH", .syntax("Syntax: AUTH mechanism [initial-response]")),
        ("AUTH PLAIN a b", .syntax("Syntax: AUTH mechanism [initial-response]")),
        ("AUTH PL@IN", .syntax("Invalid authentication mechanism")),
        ("AUTH ABCDEFGHIJKLMNOPQRSTU", .syntax("Invalid authentication mechanism")),
        ("AUTH PLAIN abc", .syntax("Invalid initial response")),
        ("AUTH PLAIN ab=c", .syntax("Invalid initial response")),
        ("AUTH PLAIN a===", .syntax("Invalid initial response")),
        ("AUTH PLAIN ab*c", .syntax("Invalid initial response")),
        ("AUTH PLAIN ==", .syntax("Invalid initial response")),
        ("NOOP\tx", .syntax("Invalid character in command")),
        ("DATA\r", .syntax("Invalid character in command")),
        ("MAIL FROM:<a@b>\rRCPT TO:<c@d>", .syntax("Invalid character in command")),
        ("NOOP \u{0}", .syntax("Invalid character in command")),
    ])
    func rejectsMalformed(line: String, error: SMTPCommandError) {
        #expect(throws: error) { try parseCommand(line) }
    }

    @Test func rejectsInvalidUTF8Arguments() {
        #expect(throws: SMTPCommandError.syntax("Invalid UTF-8")) {
            try parseCommand(bytes: Array("EHLO a".utf8) + [0xFF])
        }
        #expect(throws: SMTPCommandError.syntax("Invalid UTF-8")) {
            try parseCommand(bytes: Array("VRFY ".utf8) + [0xC3])
        }
        #expect(throws: SMTPCommandError.syntax("Invalid UTF-8")) {
            try parseCommand(bytes: Array("HELP ".utf8) + [0x80])
        }
    }

    // MARK: framing

    @Test(arguments: [
        ("QUIT\r\n", SMTPCommand.quit, ""),
        ("QUIT\n", .quit, ""),
        ("NOOP\r\nQUIT\r\n", .noop, "QUIT\r\n"),
        (
            "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n", .mail(.mailbox(mailbox("a", "b")), MailParameters()),
            "RCPT TO:<c@d>\r\nDATA\r\n"
        ),
        ("DATA\r\nSubject: x\r\n", .data, "Subject: x\r\n"),
    ])
    func framesCompleteLines(input: String, expected: SMTPCommand, rest: String) throws {
        var buffer = ByteBuffer(string: input)
        #expect(try SMTPCommandParser.parse(buffer: &buffer) == expected)
        #expect(String(buffer: buffer) == rest)
    }

    @Test(arguments: ["", "Q", "QUIT", "QUIT\r", "MAIL FROM:<a@b>"])
    func incompleteLeavesBufferUntouched(input: String) throws {
        var buffer = ByteBuffer(string: input)
        #expect(try SMTPCommandParser.parse(buffer: &buffer) == nil)
        #expect(String(buffer: buffer) == input)
    }

    @Test func parsesPipelinedCommandsFedOneByteAtATime() throws {
        let input = "EHLO c.example\r\nMAIL FROM:<a@b> SIZE=5\r\nRCPT TO:<c@d>\r\nDATA\r\n"
        var buffer = ByteBuffer()
        var commands: [SMTPCommand] = []
        for byte in input.utf8 {
            buffer.writeInteger(byte)
            while let command = try SMTPCommandParser.parse(buffer: &buffer) {
                commands.append(command)
            }
        }
        #expect(
            commands == [
                .ehlo("c.example"), .mail(.mailbox(mailbox("a", "b")), .with { $0.size = 5 }),
                .rcpt(.mailbox(mailbox("c", "d")), RcptParameters()), .data,
            ]
        )
        #expect(buffer.readableBytes == 0)
    }

    // RFC 5321 §4.5.3.1.4: 512 octets including CRLF.
    @Test func enforcesLineLength() throws {
        let exact = "NOOP " + String(repeating: "x", count: 505) + "\r\n"
        #expect(exact.utf8.count == 512)
        var ok = ByteBuffer(string: exact)
        #expect(try SMTPCommandParser.parse(buffer: &ok) == .noop)

        var over = ByteBuffer(string: "NOOP " + String(repeating: "x", count: 506) + "\r\nQUIT\r\n")
        #expect(throws: SMTPCommandError.lineTooLong) { try SMTPCommandParser.parse(buffer: &over) }
        #expect(String(buffer: over) == "QUIT\r\n")

        // 511 octets + CR: the LF can only make it 513.
        var pending = ByteBuffer(string: "NOOP " + String(repeating: "x", count: 506) + "\r")
        #expect(throws: SMTPCommandError.lineTooLong) { try SMTPCommandParser.parse(buffer: &pending) }
        #expect(pending.readableBytes == 0)
        var rest = ByteBuffer(string: "xyz\nQUIT\r\n")
        #expect(SMTPCommandParser.skipLine(in: &rest))
        #expect(try SMTPCommandParser.parse(buffer: &rest) == .quit)

        var short = ByteBuffer(string: String(repeating: "x", count: 511))
        #expect(try SMTPCommandParser.parse(buffer: &short) == nil)
        #expect(short.readableBytes == 511)
        var custom = ByteBuffer(string: "NOOP\r\n")
        #expect(throws: SMTPCommandError.lineTooLong) { try SMTPCommandParser.parse(buffer: &custom, maxLineLength: 5) }
        #expect(SMTPCommandParser.skipLine(in: &custom) == false)
    }

    @Test func malformedLineIsConsumed() {
        var buffer = ByteBuffer(string: "BOGUS\r\nQUIT\r\n")
        #expect(throws: SMTPCommandError.unrecognized("BOGUS")) { try SMTPCommandParser.parse(buffer: &buffer) }
        #expect(String(buffer: buffer) == "QUIT\r\n")
    }

    // RFC 5321 Appendix D.1, client side of the transcript.
    @Test func rfc5321AppendixD1() throws {
        var buffer = ByteBuffer(
            string:
                "EHLO bar.com\r\nMAIL FROM:<Smith@bar.com>\r\nRCPT TO:<Jones@foo.com>\r\nRCPT TO:<Green@foo.com>\r\n"
                + "RCPT TO:<Brown@foo.com>\r\nDATA\r\nQUIT\r\n"
        )
        var commands: [SMTPCommand] = []
        while let command = try SMTPCommandParser.parse(buffer: &buffer) {
            commands.append(command)
        }
        #expect(
            commands == [
                .ehlo("bar.com"), .mail(.mailbox(mailbox("Smith", "bar.com")), MailParameters()),
                .rcpt(.mailbox(mailbox("Jones", "foo.com")), RcptParameters()),
                .rcpt(.mailbox(mailbox("Green", "foo.com")), RcptParameters()),
                .rcpt(.mailbox(mailbox("Brown", "foo.com")), RcptParameters()), .data, .quit,
            ]
        )
    }
}
