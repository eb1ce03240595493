import Testing

@testable import MailDNS

@Suite("MX ordering (RFC 5321 §5.1, RFC 7505)")
struct MXOrderingTests {
    private static func records(_ text: String) -> [MXRecord] {
        text.split(separator: " ").map { item in
            let parts = item.split(separator: ":")
            return MXRecord(preference: Int(parts[0])!, exchange: String(parts[1]))
        }
    }

    @Test(
        "ascending preference; equal preferences stay a group",
        arguments: [
            ("10:a", [[10]]),
            ("20:b 10:a", [[10], [20]]),
            ("10:a 10:b 20:c", [[10, 10], [20]]),
            ("30:c 10:a 20:b 10:d 30:e", [[10, 10], [20], [30, 30]]),
            ("0:z 65535:y 5:x", [[0], [5], [65_535]]),
        ]
    )
    func ordersByPreference(input: String, groups: [[Int]]) {
        var generator = SeededGenerator(seed: 7)
        let ordered = MXOrdering.ordered(Self.records(input), using: &generator)
        #expect(ordered.map(\.preference) == groups.flatMap { $0 })
        #expect(Set(ordered.map(\.exchange)) == Set(Self.records(input).map(\.exchange)))
    }

    @Test("equal preferences are shuffled with the injected generator")
    func shufflesEqualPreferences() {
        let input = Self.records("10:a 10:b 10:c 20:d")
        var firsts: [String: Int] = [:]
        for seed in UInt64(0)..<600 {
            var generator = SeededGenerator(seed: seed)
            let ordered = MXOrdering.ordered(input, using: &generator)
            #expect(ordered.last?.exchange == "d")
            firsts[ordered[0].exchange, default: 0] += 1
        }
        // Each of the three equal hosts leads about a third of the time.
        for name in ["a", "b", "c"] {
            #expect((150...250).contains(firsts[name, default: 0]), "\(name): \(firsts)")
        }
    }

    @Test("the same seed gives the same order")
    func deterministicForASeed() {
        let input = Self.records("10:a 10:b 10:c 10:d 10:e")
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        #expect(MXOrdering.ordered(input, using: &first) == MXOrdering.ordered(input, using: &second))
    }

    @Test(
        "duplicates keep their lowest preference; root exchanges are dropped",
        arguments: [
            ("20:a 10:a", ["10:a"]),
            ("10:a 10:a 20:b", ["10:a", "20:b"]),
            ("10:. 20:b", ["20:b"]),
            ("0:.", []),
        ]
    )
    func dedupAndRoot(input: String, expected: [String]) {
        var generator = SeededGenerator(seed: 1)
        let ordered = MXOrdering.ordered(Self.records(input), using: &generator)
        #expect(ordered.map { "\($0.preference):\($0.exchange)" } == expected)
    }

    @Test(
        "null MX is exactly one MX 0 .",
        arguments: [
            ("0:.", true),
            ("10:.", false),
            ("0:. 10:mx", false),
            ("0:mx", false),
        ]
    )
    func nullMX(input: String, isNull: Bool) {
        #expect(MXOrdering.isNullMX(Self.records(input)) == isNull)
    }

    @Test(
        "our own name cuts the list at its preference",
        arguments: [
            ("10:a 20:self 30:b", ["10:a"]),
            ("10:self 10:a", [String]()),
            ("10:a 10:b", ["10:a", "10:b"]),
            ("10:a 20:b 20:self", ["10:a"]),
        ]
    )
    func dropsLocal(input: String, expected: [String]) {
        let kept = MXOrdering.droppingLocal(Self.records(input), localNames: ["self"])
        #expect(kept.map { "\($0.preference):\($0.exchange)" } == expected)
    }

    @Test(
        "address order",
        arguments: [
            (AddressOrder.ipv4First, ["192.0.2.1", "192.0.2.2", "2001:db8::1"]),
            (.ipv6First, ["2001:db8::1", "192.0.2.1", "192.0.2.2"]),
            (.ipv4Only, ["192.0.2.1", "192.0.2.2"]),
            (.ipv6Only, ["2001:db8::1"]),
        ]
    )
    func addressOrder(order: AddressOrder, expected: [String]) {
        let records: [IPAddressRecord] = [.ipv4("192.0.2.1"), .ipv6("2001:db8::1"), .ipv4("192.0.2.2")]
        #expect(order.apply(records).map(\.address) == expected)
    }
}
