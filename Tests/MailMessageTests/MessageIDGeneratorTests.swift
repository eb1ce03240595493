import MailMessage
import Testing

/// A deterministic generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Always returns zero bits.
struct ZeroGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { 0 }
}

/// Always returns one bits.
struct OnesGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { .max }
}

@Suite struct MessageIDGeneratorTests {
    @Test func exactForm() {
        #expect(
            MessageIDGenerator.make(domain: "mx.example.com", random: ZeroGenerator())
                == "<AAAAAAAAAAAAAAAAAAAAAAAA@mx.example.com>")
        #expect(MessageIDGenerator.make(domain: "d", random: OnesGenerator()) == "<777777777777777777777777@d>")
    }

    @Test func deterministicWithSeed() {
        let first = MessageIDGenerator.make(domain: "example.com", random: SeededGenerator(state: 42))
        let second = MessageIDGenerator.make(domain: "example.com", random: SeededGenerator(state: 42))
        #expect(first == second)
        #expect(first != MessageIDGenerator.make(domain: "example.com", random: SeededGenerator(state: 43)))
    }

    @Test func inoutOverloadAdvances() {
        var generator = SeededGenerator(state: 7)
        let first = MessageIDGenerator.make(domain: "example.com", random: &generator)
        let second = MessageIDGenerator.make(domain: "example.com", random: &generator)
        #expect(first != second)
    }

    // RFC 5322 §3.6.4: "<" dot-atom-text "@" id-right ">".
    @Test func systemRandomIsWellFormedAndUnique() {
        var seen: Set<String> = []
        for _ in 0..<1000 {
            let id = MessageIDGenerator.make(domain: "example.com")
            #expect(id.hasPrefix("<") && id.hasSuffix("@example.com>"))
            let left = id.dropFirst().prefix { $0 != "@" }
            #expect(left.count == 24)
            #expect(left.allSatisfy { ("A"..."Z").contains($0) || ("2"..."7").contains($0) })
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }
}
