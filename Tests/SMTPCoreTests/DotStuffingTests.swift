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

    @Test func respectsReaderIndex() {
        var message = ByteBuffer(string: "skip.x\r\n")
        message.moveReaderIndex(forwardBy: 4)
        var out = ByteBuffer()
        DotStuffing.stuff(message, into: &out)
        #expect(String(buffer: out) == "..x\r\n.\r\n")
    }
}
