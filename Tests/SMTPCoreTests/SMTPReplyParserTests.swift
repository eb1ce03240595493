import NIOCore
import SMTPCore
import Testing

@Suite struct SMTPReplyParserTests {
    @Test(arguments: [
        ("250 OK\r\n", SMTPReply(code: 250, "OK")),
        ("250 2.0.0 OK\r\n", SMTPReply(code: 250, enhanced: .success, "OK")),
        ("250 2.0.0\r\n", SMTPReply(code: 250, enhanced: .success, "")),
        ("354\r\n", SMTPReply(code: 354, "")),
        ("354 Start mail input\n", SMTPReply(code: 354, "Start mail input")),
        ("250-2.0.0 a\r\n250 2.0.0 b\r\n", SMTPReply(code: 250, enhanced: .success, lines: ["a", "b"])),
        (
            "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 10240000\r\n",
            SMTPReply(code: 250, lines: ["mx.example.com", "PIPELINING", "SIZE 10240000"])
        ),
        // The class must match the reply code's first digit (RFC 3463 §2).
        ("250 5.1.1 odd\r\n", SMTPReply(code: 250, "5.1.1 odd")),
        // Every line must carry an enhanced code.
        ("550-5.1.1 no\r\n550 such user\r\n", SMTPReply(code: 550, lines: ["5.1.1 no", "such user"])),
        (
            "550-5.1.1 no\r\n550 5.1.1 such user\r\n",
            SMTPReply(code: 550, enhanced: .badDestinationMailbox, lines: ["no", "such user"])
        ),
        ("250-\r\n250 x\r\n", SMTPReply(code: 250, lines: ["", "x"])),
        ("220 mx.example.com ESMTP\r\n", SMTPReply(code: 220, "mx.example.com ESMTP")),
        ("250 5.1.1x\r\n", SMTPReply(code: 250, "5.1.1x")),
    ])
    func parsesCompleteReply(input: String, expected: SMTPReply) throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        #expect(try parser.parse(&buffer) == expected)
        #expect(buffer.readableBytes == 0)
    }

    @Test func leavesFollowingRepliesInBuffer() throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go")
        #expect(try parser.parse(&buffer) == SMTPReply(code: 250, enhanced: .senderOK, "Ok"))
        #expect(try parser.parse(&buffer) == SMTPReply(code: 250, enhanced: .destinationValid, "Ok"))
        #expect(try parser.parse(&buffer) == nil)
        #expect(String(buffer: buffer) == "354 go")
    }

    @Test(arguments: ["", "2", "250", "250 OK", "250 OK\r", "250-a\r\n", "250-a\r\n250 b", "250-a\r\n250-b\r\n"])
    func incompleteLeavesBufferUntouched(input: String) throws {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        #expect(try parser.parse(&buffer) == nil)
        #expect(String(buffer: buffer) == input)
    }

    @Test func parsesOneByteAtATime() throws {
        let input = "250-mx.example.com\r\n250-8BITMIME\r\n250 2.0.0 SMTPUTF8\r\n"
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer()
        var replies: [SMTPReply] = []
        for byte in input.utf8 {
            buffer.writeInteger(byte)
            if let reply = try parser.parse(&buffer) {
                replies.append(reply)
            }
        }
        #expect(replies == [SMTPReply(code: 250, lines: ["mx.example.com", "8BITMIME", "2.0.0 SMTPUTF8"])])
    }

    @Test(arguments: [
        ("abc\r\n", SMTPReplyParseError.invalidCode),
        ("25\r\n", .invalidCode),
        ("150 x\r\n", .invalidCode),
        ("650 x\r\n", .invalidCode),
        ("2a0 x\r\n", .invalidCode),
        ("\r\n", .invalidCode),
        ("250x\r\n", .invalidSeparator),
        ("250\tx\r\n", .invalidSeparator),
        ("250-a\r\n251 b\r\n", .inconsistentCode(expected: 250, found: 251)),
        ("250-a\r\nxyz\r\n", .invalidCode),
    ])
    func rejectsMalformed(input: String, error: SMTPReplyParseError) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        #expect(throws: error) { try parser.parse(&buffer) }
    }

    @Test func lineLengthLimit() throws {
        var parser = SMTPReplyParser(maxLineLength: 10)
        var exact = ByteBuffer(string: "250 abcd\r\n")
        #expect(try parser.parse(&exact) == SMTPReply(code: 250, "abcd"))
        var over = ByteBuffer(string: "250 abcde\r\n")
        #expect(throws: SMTPReplyParseError.lineTooLong) { try parser.parse(&over) }
        var unterminated = ByteBuffer(string: "250 abcdef")
        #expect(throws: SMTPReplyParseError.lineTooLong) { try parser.parse(&unterminated) }
        var shortUnterminated = ByteBuffer(string: "250 abcd\r")
        #expect(try parser.parse(&shortUnterminated) == nil)
    }

    @Test func lineCountLimit() throws {
        var parser = SMTPReplyParser(maxLines: 3)
        var ok = ByteBuffer(string: "250-a\r\n250-b\r\n250 c\r\n")
        #expect(try parser.parse(&ok)?.lines == ["a", "b", "c"])
        var tooMany = ByteBuffer(string: "250-a\r\n250-b\r\n250-c\r\n")
        #expect(throws: SMTPReplyParseError.tooManyLines) { try parser.parse(&tooMany) }
    }

    @Test(arguments: [
        SMTPReply(code: 250, enhanced: .success, lines: ["a", "b"]), SMTPReply(code: 354, ""),
        SMTPReply(code: 550, enhanced: .relayDenied, "Relay access denied"), SMTPReply(code: 221, "Bye"),
    ])
    func roundTrips(reply: SMTPReply) throws {
        var buffer = ByteBuffer()
        reply.write(into: &buffer)
        var parser = SMTPReplyParser()
        #expect(try parser.parse(&buffer) == reply)
    }
}
