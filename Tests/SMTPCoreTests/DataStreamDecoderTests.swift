import NIOCore
import SMTPCore
import Testing

/// The outcome of feeding a whole input to a fresh decoder.
struct DecodeOutcome: Equatable {
    var result: DataDecodeResult
    var output: String
    var rest: String
    var violations: DataViolations
}

func decodeData(
    _ input: [UInt8],
    chunkSize: Int? = nil,
    maxLineLength: Int = 1000,
    maxMessageSize: Int = 1_000_000
) -> (DecodeOutcome, DataStreamDecoder) {
    var decoder = DataStreamDecoder(maxLineLength: maxLineLength, maxMessageSize: maxMessageSize)
    var output = ByteBuffer()
    var pending = ByteBuffer()
    var result = DataDecodeResult.needMore
    var offset = 0
    let step = chunkSize ?? max(input.count, 1)
    while offset < input.count && result == .needMore {
        pending.writeBytes(input[offset..<min(offset + step, input.count)])
        offset += step
        result = decoder.decode(&pending, into: &output)
    }
    if offset < input.count {
        pending.writeBytes(input[offset...])
    }
    let outcome = DecodeOutcome(
        result: result,
        output: String(decoding: output.readableBytesView, as: UTF8.self),
        rest: String(decoding: pending.readableBytesView, as: UTF8.self),
        violations: decoder.violations
    )
    return (outcome, decoder)
}

@Suite struct DataStreamDecoderTests {
    static let clean = DataViolations()
    static let bareLF = DataViolations(bareLF: true)
    static let bareCR = DataViolations(bareCR: true)

    @Test(
        arguments: [
            // RFC 5321 §4.1.1.4: the CRLF before "." belongs to the message.
            ("Subject: x\r\n\r\nHello\r\n.\r\n", "Subject: x\r\n\r\nHello\r\n", "", clean),
            (".\r\n", "", "", clean),
            (".\r\nQUIT\r\n", "", "QUIT\r\n", clean),
            ("a\r\n.\r\nMAIL FROM:<a@b>\r\n", "a\r\n", "MAIL FROM:<a@b>\r\n", clean),
            ("\r\n.\r\n", "\r\n", "", clean),
            // RFC 5321 §4.5.2: a leading "." is removed.
            ("..\r\n.\r\n", ".\r\n", "", clean),
            ("...\r\n.\r\n", "..\r\n", "", clean),
            ("a\r\n..b\r\n.\r\n", "a\r\n.b\r\n", "", clean),
            (".a\r\n.\r\n", "a\r\n", "", clean),
            ("a.\r\n.b.\r\n.\r\n", "a.\r\nb.\r\n", "", clean),
            ("x . y\r\n.\r\n", "x . y\r\n", "", clean),
            // SMTP smuggling (CVE-2023-51764 family): only CRLF "." CRLF ends the data.
            ("a\n.\nb\r\n.\r\n", "a\n.\nb\r\n", "", bareLF),
            ("a\r.\rb\r\n.\r\n", "a\r.\rb\r\n", "", bareCR),
            ("a\n.\r\nb\r\n.\r\n", "a\n.\r\nb\r\n", "", bareLF),
            ("a\r\n.\nb\r\n.\r\n", "a\r\n\nb\r\n", "", bareLF),
            ("a\r\n.\rb\r\n.\r\n", "a\r\n\rb\r\n", "", bareCR),
            ("a\r\n.\r\rb\r\n.\r\n", "a\r\n\r\rb\r\n", "", bareCR),
            ("a\r\r\n.\r\n", "a\r\r\n", "", bareCR),
            ("a\r\n\n.\r\n.\r\n", "a\r\n\n.\r\n", "", bareLF),
            ("\n.\n.\r\n.\r\n", "\n.\n.\r\n", "", bareLF),
            (".\n.\r\n.\r\n", "\n.\r\n", "", bareLF),
            ("a\rb\r\n.\r\n", "a\rb\r\n", "", bareCR),
            ("a\nb\r\n.\r\n", "a\nb\r\n", "", bareLF),
        ] as [(String, String, String, DataViolations)])
    func decodesCompleteMessages(input: String, output: String, rest: String, violations: DataViolations) {
        let bytes = Array(input.utf8)
        let expected = DecodeOutcome(result: .complete, output: output, rest: rest, violations: violations)
        for chunkSize in [nil, 1, 2, 3, 5] as [Int?] {
            #expect(
                decodeData(bytes, chunkSize: chunkSize).0 == expected, "chunk size \(String(describing: chunkSize))")
        }
    }

    @Test(arguments: [
        "", "a", "a\r\n", "a\r\n.", "a\r\n.\r", ".", ".\r", "a\n.\n", "a\r.\r", "a\n.\r\n", "a\r\n.\n", "a\r\n..\r\n",
        "a\r\n.\r\r\n", ".\n", "\n.\n", "\r\n.\r",
    ])
    func incompleteMessagesNeedMore(input: String) {
        let (outcome, _) = decodeData(Array(input.utf8))
        #expect(outcome.result == .needMore)
        #expect(outcome.rest == "")
    }

    @Test func everySplitGivesTheSameResult() {
        let input = Array("Subject: t\r\n\r\n..dot\r\nbare\nlf\r\n.\r\nQUIT\r\n".utf8)
        let (expected, _) = decodeData(input)
        #expect(expected.result == .complete)
        #expect(expected.output == "Subject: t\r\n\r\n.dot\r\nbare\nlf\r\n")
        #expect(expected.rest == "QUIT\r\n")
        for split in 0...input.count {
            var decoder = DataStreamDecoder(maxMessageSize: 1000)
            var output = ByteBuffer()
            var first = ByteBuffer(bytes: input[..<split])
            var result = decoder.decode(&first, into: &output)
            var second = first
            second.writeBytes(input[split...])
            if result == .needMore {
                result = decoder.decode(&second, into: &output)
            }
            #expect(result == .complete)
            #expect(String(buffer: output) == expected.output)
            #expect(String(buffer: second) == expected.rest)
        }
    }

    @Test func completeDecoderConsumesNothingMore() {
        var decoder = DataStreamDecoder(maxMessageSize: 100)
        var output = ByteBuffer()
        var input = ByteBuffer(string: ".\r\n")
        #expect(decoder.decode(&input, into: &output) == .complete)
        #expect(decoder.isComplete)
        var more = ByteBuffer(string: "QUIT\r\n")
        #expect(decoder.decode(&more, into: &output) == .complete)
        #expect(more.readableBytes == 6)
        #expect(output.readableBytes == 0)
    }

    // RFC 5321 §4.5.3.1.6: 1000 octets including CRLF.
    @Test func lineLength() {
        let ok = String(repeating: "x", count: 998) + "\r\n.\r\n"
        #expect(decodeData(Array(ok.utf8)).0.violations == DataViolations())
        let long = String(repeating: "x", count: 999) + "\r\n.\r\n"
        #expect(decodeData(Array(long.utf8)).0.violations == DataViolations(lineTooLong: true))
        #expect(decodeData(Array(long.utf8), chunkSize: 7).0.violations == DataViolations(lineTooLong: true))
        // The stuffed dot counts: it is on the wire.
        let stuffed = "." + String(repeating: "x", count: 998) + "\r\n.\r\n"
        #expect(decodeData(Array(stuffed.utf8)).0.violations == DataViolations(lineTooLong: true))
        let small = "abcd\r\nabc\r\nabcde\r\n.\r\n"
        #expect(decodeData(Array(small.utf8), maxLineLength: 6).0.violations == DataViolations(lineTooLong: true))
        #expect(decodeData(Array("abcd\r\n.\r\n".utf8), maxLineLength: 6).0.violations == DataViolations())
    }

    @Test func sizeLimit() {
        let input = Array("12345\r\n67890\r\n.\r\nQUIT\r\n".utf8)
        let (atLimit, decoderAtLimit) = decodeData(input, maxMessageSize: 14)
        #expect(
            atLimit
                == DecodeOutcome(
                    result: .complete, output: "12345\r\n67890\r\n", rest: "QUIT\r\n", violations: DataViolations()))
        #expect(decoderAtLimit.messageSize == 14)
        for chunkSize in [nil, 1, 4] as [Int?] {
            let (over, decoder) = decodeData(input, chunkSize: chunkSize, maxMessageSize: 10)
            #expect(over.result == .complete)
            #expect(over.rest == "QUIT\r\n")
            #expect(over.violations == DataViolations(sizeExceeded: true))
            #expect(over.output.utf8.count <= 10)
            #expect(decoder.messageSize == 14)
        }
    }

    @Test func eightBitData() {
        #expect(decodeData(Array("plain\r\n.\r\n".utf8)).1.has8BitData == false)
        #expect(decodeData(Array("caf\u{E9}\r\n.\r\n".utf8)).1.has8BitData)
        #expect(decodeData(Array("caf\u{E9}\r\n.\r\n".utf8), chunkSize: 1).1.has8BitData)
        #expect(decodeData([0x2E, 0xFF, 0x0D, 0x0A, 0x2E, 0x0D, 0x0A], chunkSize: 1).1.has8BitData)
    }

    @Test func stressLargeMessage() {
        var input: [UInt8] = []
        let line = Array(("." + String(repeating: "abcdefghij", count: 7) + "\r\n").utf8)
        for _ in 0..<20_000 {
            input += line
        }
        input += Array(".\r\n".utf8)
        let (outcome, decoder) = decodeData(input, chunkSize: 4096, maxMessageSize: 10_000_000)
        #expect(outcome.result == .complete)
        #expect(decoder.messageSize == 20_000 * (line.count - 1))
        #expect(outcome.violations.isEmpty)
    }

    /// Random messages rich in what the decoder treats specially (dots at line starts, bare CR and LF, CRLF
    /// split across reads, 8-bit octets, lines at the length limit): fed whole — whole lines take the
    /// multi-line path — and in random pieces, they decode exactly as fed one octet at a time, which only
    /// the octet-by-octet path sees.
    @Test func wholeLinesDecodeAsOctetByOctet() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("abc".utf8), Array("\r\n".utf8), Array("\r\n".utf8), Array("\r\n".utf8), Array(".".utf8),
            Array("\r".utf8), Array("\n".utf8), [0xC3, 0xA9], Array(String(repeating: "x", count: 20).utf8),
        ]
        for _ in 0..<2000 {
            var input: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<40, using: &generator) {
                input += pieces.randomElement(using: &generator)!
            }
            if Bool.random(using: &generator) { input += Array("\r\n.\r\nQUIT\r\n".utf8) }
            let maxLineLength = [8, 30, 1000].randomElement(using: &generator)!
            let maxMessageSize = [10_000, 60].randomElement(using: &generator)!
            let (expected, expectedDecoder) = decodeData(
                input, chunkSize: 1, maxLineLength: maxLineLength, maxMessageSize: maxMessageSize)
            for chunkSize in [nil, Int.random(in: 2...50, using: &generator)] {
                let (outcome, decoder) = decodeData(
                    input, chunkSize: chunkSize, maxLineLength: maxLineLength, maxMessageSize: maxMessageSize)
                #expect(outcome.result == expected.result, "\(input)")
                #expect(outcome.rest == expected.rest, "\(input)")
                #expect(outcome.violations == expected.violations, "\(input)")
                if !expected.violations.sizeExceeded { #expect(outcome.output == expected.output, "\(input)") }
                #expect(decoder.messageSize == expectedDecoder.messageSize, "\(input)")
                #expect(decoder.has8BitData == expectedDecoder.has8BitData, "\(input)")
            }
        }
    }
}
