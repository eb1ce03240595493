import Testing

@testable import MailDNS

@Suite("Decoding ldns packets")
struct LDNSPacketDecoderTests {
    @Test("MX, A, AAAA, CNAME records from zone text")
    func decodesRecords() throws {
        let response = try ZonePacket.response(
            question: "Example.ORG. IN MX",
            answer: [
                "Example.ORG. 300 IN CNAME Mail.Example.NET.",
                "mail.example.net. 120 IN MX 10 MX1.example.net.",
                "mx1.example.net. 60 IN A 192.0.2.1",
                "mx1.example.net. 60 IN AAAA 2001:DB8:0:0::1",
            ]
        )
        #expect(response.code == .noError)
        #expect(response.question == .init(name: "example.org", type: .mx))
        #expect(
            response.answers == [
                .init(name: "example.org", type: .cname, ttl: 300, data: .cname("mail.example.net")),
                .init(
                    name: "mail.example.net", type: .mx, ttl: 120,
                    data: .mx(preference: 10, exchange: "mx1.example.net")),
                .init(name: "mx1.example.net", type: .a, ttl: 60, data: .a("192.0.2.1")),
                .init(name: "mx1.example.net", type: .aaaa, ttl: 60, data: .aaaa("2001:db8::1")),
            ]
        )
    }

    @Test("null MX exchange is the root")
    func nullMX() throws {
        let response = try ZonePacket.response(question: "example.com. IN MX", answer: ["example.com. 3600 IN MX 0 ."])
        #expect(response.answers.first?.data == .mx(preference: 0, exchange: "."))
    }

    @Test("TXT keeps each character-string, bytes intact")
    func txtStrings() throws {
        let response = try ZonePacket.response(
            question: "sel._domainkey.example.com. IN TXT",
            answer: [#"sel._domainkey.example.com. 300 IN TXT "v=DKIM1; k=rsa; " "p=MIIB" "\"quoted\" \195\169""#]
        )
        #expect(
            response.answers.first?.data
                == .txt([Array("v=DKIM1; k=rsa; ".utf8), Array("p=MIIB".utf8), Array("\"quoted\" é".utf8)])
        )
    }

    @Test("NXDOMAIN with SOA: rcode and MINIMUM")
    func soa() throws {
        let response = try ZonePacket.response(
            rcode: 3,
            question: "nope.example.com. IN MX",
            authority: ["example.com. 900 IN SOA ns.example.com. hostmaster.example.com. 1 7200 3600 1209600 300"]
        )
        #expect(response.code == .nameError)
        #expect(response.authority.first?.data == .soa(minimum: 300))
        #expect(DNSResponseInterpreter.negativeTTL(of: response) == .seconds(300))
    }

    @Test(
        "response codes",
        arguments: [
            (UInt8(0), DNSResponse.ResponseCode.noError), (1, .formatError), (2, .serverFailure),
            (3, .nameError), (4, .notImplemented), (5, .refused), (9, .other(9)),
        ]
    )
    func codes(rcode: UInt8, code: DNSResponse.ResponseCode) throws {
        #expect(try ZonePacket.response(rcode: rcode, question: "x.test. IN A").code == code)
    }
}
