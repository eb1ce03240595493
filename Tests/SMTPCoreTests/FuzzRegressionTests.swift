import NIOCore
import SMTPCore
import Testing

/// Inputs for the properties checked by Fuzz/SMTPCommandFuzz (scripts/fuzz-smtp.sh). Every crash the fuzzer
/// finds is added here. No crash has been found so far; these are the tricky inputs written by hand.
@Suite struct FuzzRegressionTests {
    @Test(arguments: [
        "MAIL FROM:<\"a\\\\ b\"@[IPv6:::ffff:1.2.3.4]> AUTH=+3C+3E ENVID=+2B",
        "RCPT TO:<\"\"@x> ORCPT=utf-8;\\x{1F600} NOTIFY=never",
        "RCPT TO:<@a,@[1.2.3.4]:\"q\"@b>",
        "MAIL FROM:<\"a.\"@b>",
        "MAIL FROM:<a@b> AUTH=\"",
        "HELP \u{10FFFF}",
        "AUTH x-1_2 =",
        "VRFY  spaced  ",
    ])
    func parsedCommandsRoundTrip(line: String) throws {
        let command = try parseCommand(line)
        let written = wire(command)
        #expect(try parseCommand(String(decoding: written.utf8.dropLast(2), as: UTF8.self)) == command)
    }

    @Test(arguments: [
        [UInt8](), [0x0A], [0x0D], [0x2E], [0x2E, 0x0D], [0x2E, 0x0A, 0x2E, 0x0D, 0x0A], [0xFF, 0x0D, 0x0D, 0x0A],
        Array("\r\n.\r\n".utf8), Array("..\r\n..\r\r\n.\r\n".utf8),
    ])
    func dataDecoderSplitInvariance(bytes: [UInt8]) {
        var whole = DataStreamDecoder(maxLineLength: 100, maxMessageSize: 4096)
        var wholeInput = ByteBuffer(bytes: bytes)
        var wholeOutput = ByteBuffer()
        let wholeResult = whole.decode(&wholeInput, into: &wholeOutput)
        var split = DataStreamDecoder(maxLineLength: 100, maxMessageSize: 4096)
        var splitOutput = ByteBuffer()
        var splitResult = DataDecodeResult.needMore
        for byte in bytes where splitResult == .needMore {
            var one = ByteBuffer(bytes: [byte])
            splitResult = split.decode(&one, into: &splitOutput)
        }
        #expect(wholeResult == splitResult)
        #expect(wholeOutput == splitOutput)
        #expect(whole.violations == split.violations)
    }

    @Test(arguments: ["\u{0}", "\r", "\n", "250", "250-\n", String(repeating: "9", count: 600)])
    func replyParserNeverConsumesIncompleteInput(input: String) {
        var parser = SMTPReplyParser()
        var buffer = ByteBuffer(string: input)
        let before = buffer.readableBytes
        if let reply = try? parser.parse(&buffer) {
            #expect(buffer.readableBytes < before)
            _ = reply
        }
    }
}
