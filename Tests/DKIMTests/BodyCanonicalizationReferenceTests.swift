import Testing

@testable import DKIM

/// The one-pass body canonicaliser against a plain line-by-line transcription of RFC 6376 §3.4.3 and §3.4.4,
/// over generated bodies made of the octets that matter (SP, HTAB, CR, LF, text) in runs of every length.
@Suite struct BodyCanonicalizationReferenceTests {
    /// The body split into lines the way Petrel reads mail: a line ends at LF, and a CR right before that LF
    /// belongs to the line break; text after the last LF is an unterminated last line.
    static func lines(_ body: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (index, byte) in body.enumerated() where byte == 0x0A {
            let end = index > start && body[index - 1] == 0x0D ? index - 1 : index
            lines.append(body[start..<end])
            start = index + 1
        }
        if start < body.count {
            lines.append(body[start...])
        }
        return lines
    }

    static func reference(_ body: [UInt8], _ algorithm: DKIMCanonicalizationAlgorithm) -> [UInt8] {
        var lines = lines(body).map { line -> [UInt8] in
            guard algorithm == .relaxed else { return Array(line) }
            // §3.4.4: WSP runs become one SP; WSP at the end of the line goes.
            var output: [UInt8] = []
            var inRun = false
            for byte in line {
                if byte == 0x20 || byte == 0x09 {
                    inRun = true
                    continue
                }
                if inRun { output.append(0x20) }
                inRun = false
                output.append(byte)
            }
            return output
        }
        // §3.4.3, §3.4.4: empty lines at the end are ignored.
        while lines.last?.isEmpty == true { lines.removeLast() }
        if lines.isEmpty {
            return algorithm == .simple ? [0x0D, 0x0A] : []
        }
        return lines.flatMap { $0 + [0x0D, 0x0A] }
    }

    /// Bodies from a seeded generator: short lines dense in white space and line-break oddities, and long
    /// lines that exercise the 16-octet blocks.
    static func bodies() -> [[UInt8]] {
        var generator = SeededGenerator(seed: 6376)
        let pieces: [[UInt8]] = [
            Array("word".utf8), Array("x".utf8), [0x20], [0x20, 0x20], [0x09], [0x20, 0x09, 0x20], [0x0D, 0x0A],
            [0x0D, 0x0A], [0x0A], [0x0D], [0x20, 0x0D, 0x0A], [0x09, 0x0A], [0x20, 0x0D], [0x01],
            Array(String(repeating: "b", count: 40).utf8), Array(String(repeating: "c", count: 17).utf8),
        ]
        var bodies: [[UInt8]] = [
            [], [0x0A], [0x0D], [0x20], [0x0D, 0x0A], Array("a".utf8), Array("a\r\n\r\n".utf8), Array(" a \r".utf8),
            Array("\r\n a\r\n".utf8), Array("a\r\r\n".utf8), Array("a\r\n \r\n\t\r\n".utf8),
        ]
        for _ in 0..<3000 {
            var body: [UInt8] = []
            let count = Int(generator.next() % 40)
            for _ in 0..<count {
                body += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            bodies.append(body)
        }
        // Attachments: long runs of base64 lines with no WSP (checked for bare LFs only), now and then broken by
        // a bare LF, a stray SP or HTAB, or a short text line.
        let base64Line = Array((String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", count: 2) + "wMTIz").utf8)
        let breaks: [[UInt8]] = [
            [0x0A], [0x0A, 0x20], [0x0A, 0x09], [0x20], [0x09], Array("a b\r\n".utf8), [0x20, 0x0D, 0x0A],
            [0x0D, 0x0A],
        ]
        for _ in 0..<300 {
            var body: [UInt8] = []
            for _ in 0..<Int(generator.next() % 120) {
                body += base64Line.prefix(Int(generator.next() % UInt64(base64Line.count + 1)))
                body +=
                    generator.next() % 12 == 0 ? breaks[Int(generator.next() % UInt64(breaks.count))] : [0x0D, 0x0A]
            }
            bodies.append(body)
        }
        return bodies
    }

    @Test(arguments: [DKIMCanonicalizationAlgorithm.relaxed, .simple])
    func matchesTheReference(_ algorithm: DKIMCanonicalizationAlgorithm) {
        for body in Self.bodies() {
            let expected = Self.reference(body, algorithm)
            let result = body.withUnsafeBytes { DKIMBodyCanonicalizer.hash(body: $0, algorithm) }
            #expect(result.canonicalLength == expected.count, "\(body)")
            #expect(result.digest == DKIMHasher.digest(.sha256, of: expected), "\(body)")
        }
    }

    @Test(arguments: [DKIMCanonicalizationAlgorithm.relaxed, .simple])
    func lengthLimitCutsTheReference(_ algorithm: DKIMCanonicalizationAlgorithm) {
        for (index, body) in Self.bodies().enumerated() where index % 7 == 0 {
            let expected = Self.reference(body, algorithm)
            let limit = index % expected.count.advanced(by: 1)
            let result = body.withUnsafeBytes { DKIMBodyCanonicalizer.hash(body: $0, algorithm, limit: limit) }
            #expect(result.canonicalLength == expected.count, "\(body)")
            #expect(result.digest == DKIMHasher.digest(.sha256, of: Array(expected.prefix(limit))), "\(body)")
        }
    }
}

/// SplitMix64: the same bodies on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
