import PetrelConfig
import Testing

@Suite("CIDR")
struct CIDRTests {
    @Test(arguments: [
        ("127.0.0.0/8", "127.0.0.0/8"),
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("192.0.2.7", "192.0.2.7/32"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("::1/128", "::1/128"),
        ("::1", "::1/128"),
        ("::/0", "::/0"),
        ("2001:DB8:0:0:0:0:0:1/64", "2001:db8::/64"),
        ("2001:db8::1:0:0:1", "2001:db8::1:0:0:1/128"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1/128"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1/128"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4/128"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0/128"),
        ("::ffff:10.0.0.1/128", "::ffff:a00:1/128"),
        ("64:ff9b::192.0.2.33/96", "64:ff9b::/96"),
    ])
    func parsesAndNormalises(_ text: String, _ canonical: String) throws {
        let cidr = try #require(CIDR(text))
        #expect(cidr.description == canonical)
        #expect(CIDR(canonical) == cidr)
    }

    @Test(arguments: [
        "", "/8", "127.0.0.0/", "127.0.0.0/33", "127.0.0.0/-1", "127.0.0.0/+8", "127.0.0.0/8/8", "127.0.0/8",
        "127.0.0.1.1", "256.0.0.0", "010.0.0.1", "1.2.3.4 ", " 1.2.3.4", "a.b.c.d", "::1/129", ":::1", "1::2::3",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "12345::", "::g", "::1.2.3", "1.2.3.4::", "localhost",
        "fe80::1%eth0",
    ])
    func rejects(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test(arguments: [
        ("127.0.0.0/8", "127.0.0.1", true),
        ("127.0.0.0/8", "127.255.255.255", true),
        ("127.0.0.0/8", "128.0.0.1", false),
        ("192.0.2.128/25", "192.0.2.129", true),
        ("192.0.2.128/25", "192.0.2.127", false),
        ("192.0.2.7", "192.0.2.7", true),
        ("192.0.2.7", "192.0.2.8", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("10.0.0.0/8", "garbage", false),
        ("10.0.0.0/8", "", false),
        ("10.0.0.0/8", "10.0.0.256", false),
        ("::1/128", "::1", true),
        ("::1/128", "0:0:0:0:0:0:0:1", true),
        ("::1/128", "::2", false),
        ("2001:db8::/32", "2001:DB8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("fe80::/10", "febf::1", true),
        ("fe80::/10", "fec0::1", false),
        ("fe80::/10", "fe80::1%eth0", true),
        ("::/0", "10.0.0.1", true),
        // IPv4-mapped IPv6 (RFC 4291 §2.5.5.2), as dual-stack sockets report IPv4 peers.
        ("127.0.0.0/8", "::ffff:127.0.0.1", true),
        ("127.0.0.0/8", "::FFFF:7f00:1", true),
        ("127.0.0.0/8", "::ffff:10.0.0.1", false),
        ("127.0.0.0/8", "::127.0.0.1", false),
        ("127.0.0.0/8", "::1", false),
        ("::ffff:0:0/96", "192.0.2.1", true),
        ("::ffff:10.0.0.0/104", "10.1.2.3", true),
        ("::1/128", "127.0.0.1", false),
    ])
    func contains(_ network: String, _ address: String, _ expected: Bool) throws {
        let cidr = try #require(CIDR(network))
        #expect(cidr.contains(address) == expected)
    }

    @Test func hashable() throws {
        #expect(Set([CIDR("10.1.0.0/8"), CIDR("10.0.0.0/8"), CIDR("::1")]).count == 2)
        #expect(try #require(CIDR("10.0.0.0/8")).isIPv4)
        #expect(try !#require(CIDR("::/0")).isIPv4)
    }
}
