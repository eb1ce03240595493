import Testing

@testable import MailDNS

@Suite("Name normalisation")
struct DNSNameTests {
    @Test(
        "valid names are lowercased without trailing dot",
        arguments: [
            ("Example.COM", "example.com"),
            ("example.com.", "example.com"),
            ("_dmarc.example.com", "_dmarc.example.com"),
            ("sel._domainkey.Example.org.", "sel._domainkey.example.org"),
            ("localhost", "localhost"),
        ]
    )
    func valid(input: String, expected: String) throws {
        #expect(try DNSName.normalized(input) == expected)
    }

    @Test(
        "invalid names are rejected (RFC 1035 §2.3.4)",
        arguments: [
            "", ".", "a..b", ".a", "a b.com", "bücher.example", "a\\.b",
            String(repeating: "a", count: 64) + ".com",
            Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: "."),
        ]
    )
    func invalid(input: String) {
        #expect(throws: DNSError.invalidName(input)) { try DNSName.normalized(input) }
    }
}
