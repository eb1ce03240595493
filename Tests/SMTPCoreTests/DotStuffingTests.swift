import NIOCore
import SMTPCore
import Testing

@Suite struct DotStuffingTests {
    @Test(arguments: [
        ("", ".\r\n"),
        ("a\r\n", "a\r\n.\r\n"),
        ("a", "a\r\n.\r\n"),
        (".", "..\r\n.\r\n"),
        (".\r\n", "..\r\n.\r\n"),
        ("a\r\n.\r\nb", "a\r\n..\r\nb\r\n.\r\n"),
        ("..x\r\n", "...x\r\n.\r\n"),
        ("x.y\r\n", "x.y\r\n.\r\n"),
        ("\r\n", "\r\n.\r\n"),
        // Bare line ends are sent as CRLF (RFC 5321 §2.3.8): no receiver can see an end of data inside.
        ("a\n.\nb", "a\r\n..\r\nb\r\n.\r\n"),
        ("a\r.\rb", "a\r\n..\r\nb\r\n.\r\n"),
        ("a\n", "a\r\n.\r\n"),
        ("a\r", "a\r\n.\r\n"),
        ("a\r\r\n", "a\r\n\r\n.\r\n"),
        ("\n\n", "\r\n\r\n.\r\n"),
    ])
    func stuffs(message: String, expected: String) {
        var out = ByteBuffer()
        DotStuffing.stuff(ByteBuffer(string: message), into: &out)
        #expect(String(buffer: out) == expected)
    }

    @Test(arguments: ["", "a", "Subject: x\r\n\r\n.\r\n..\r\n.x\r\n", "a\r\n.\r\n", "\r\n.\r\n\r\n"])
    func roundTripsThroughDecoder(message: String) {
        var wire = ByteBuffer()
        DotStuffing.stuff(ByteBuffer(string: message), into: &wire)
        var decoder = DataStreamDecoder(maxMessageSize: 10_000)
        var output = ByteBuffer()
        #expect(decoder.decode(&wire, into: &output) == .complete)
        #expect(wire.readableBytes == 0)
        let expected = message.isEmpty || message.hasSuffix("\r\n") ? message : message + "\r\n"
        #expect(String(buffer: output) == expected)
        #expect(decoder.violations.isEmpty)
    }

    @Test(arguments: [
        ("", true), ("a\r\n", true), ("a\r\nb.c\r\n\r\n", true), ("a", false), ("a\r\n.\r\n", false),
        (".a\r\n", false), ("a\nb\r\n", false), ("a\r\r\n", false), ("a\rb\r\n", false), ("\r\n", true),
    ])
    func transparency(message: String, transparent: Bool) {
        #expect(DotStuffing.isTransparent(ByteBuffer(string: message)) == transparent)
    }

    @Test func respectsReaderIndex() {
        var message = ByteBuffer(string: "skip.x\r\n")
        message.moveReaderIndex(forwardBy: 4)
        var out = ByteBuffer()
        DotStuffing.stuff(message, into: &out)
        #expect(String(buffer: out) == "..x\r\n.\r\n")
    }

    /// Random messages (dots at line starts, bare CR and LF, long runs, 8-bit octets) stuff exactly as the
    /// rule says — every line end sent as CRLF, a final CRLF, "." doubled at line starts, then ".\r\n" — and
    /// decode back without violations.
    @Test func randomMessagesStuffByTheRule() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("abc".utf8), Array("\r\n".utf8), Array("\r\n".utf8), Array(".".utf8), Array("\r".utf8),
            Array("\n".utf8), [0xC3, 0xA9], Array(String(repeating: "x", count: 40).utf8),
        ]
        for _ in 0..<2000 {
            var message: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<30, using: &generator) {
                message += pieces.randomElement(using: &generator)!
            }
            var lines: [[UInt8]] = [[]]
            var index = 0
            while index < message.count {
                let byte = message[index]
                if byte == 13 || byte == 10 {
                    if byte == 13, index + 1 < message.count, message[index + 1] == 10 { index += 1 }
                    lines.append([])
                } else {
                    lines[lines.count - 1].append(byte)
                }
                index += 1
            }
            if lines.last!.isEmpty { lines.removeLast() }
            let dot: [UInt8] = [0x2E]
            let crlf: [UInt8] = [13, 10]
            let expected: [UInt8] = lines.flatMap { ($0.first == 0x2E ? dot : []) + $0 + crlf } + dot + crlf
            var wire = ByteBuffer()
            DotStuffing.stuff(ByteBuffer(bytes: message), into: &wire)
            #expect(Array(wire.readableBytesView) == expected, "\(message)")
            // Transparent exactly when stuffing changes nothing but the end of data.
            #expect(DotStuffing.isTransparent(ByteBuffer(bytes: message)) == (expected == message + dot + crlf))
            var decoder = DataStreamDecoder(maxMessageSize: 100_000)
            var output = ByteBuffer()
            #expect(decoder.decode(&wire, into: &output) == .complete)
            #expect(decoder.violations.isEmpty, "\(message)")
            #expect(Array(output.readableBytesView) == lines.flatMap { $0 + crlf }, "\(message)")
        }
    }
}
