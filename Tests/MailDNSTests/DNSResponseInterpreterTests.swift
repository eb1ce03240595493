import Testing

@testable import MailDNS

@Suite("Reading responses (RFC 1034 §3.6.2, RFC 2308)")
struct DNSResponseInterpreterTests {
    private func mx(_ response: DNSResponse, name: String = "example.com") throws(DNSError)
        -> DNSResponseInterpreter.Step<MXRecord>
    {
        try DNSResponseInterpreter.interpret(response, name: name, type: .mx, reportedName: name, extract: DNSLookup.mx)
    }

    @Test("records at the name")
    func direct() throws {
        let response = try ZonePacket.response(
            question: "example.com. IN MX",
            answer: ["example.com. 300 IN MX 10 a.example.com.", "example.com. 200 IN MX 20 b.example.com."]
        )
        guard case .records(let records, let ttl, let owner) = try mx(response) else {
            Issue.record("no records")
            return
        }
        #expect(
            records == [
                MXRecord(preference: 10, exchange: "a.example.com"), .init(preference: 20, exchange: "b.example.com"),
            ])
        #expect(ttl == 200)
        #expect(owner == "example.com")
    }

    @Test("a CNAME chain is followed inside the response; TTL is the chain's minimum")
    func chain() throws {
        let response = try ZonePacket.response(
            question: "example.com. IN MX",
            answer: [
                "example.com. 50 IN CNAME one.example.net.",
                "one.example.net. 400 IN CNAME two.example.org.",
                "two.example.org. 300 IN MX 5 mx.example.org.",
                "unrelated.example. 1 IN MX 1 x.",
            ]
        )
        guard case .records(let records, let ttl, let owner) = try mx(response) else {
            Issue.record("no records")
            return
        }
        #expect(records == [MXRecord(preference: 5, exchange: "mx.example.org")])
        #expect(ttl == 50)
        #expect(owner == "two.example.org")
    }

    @Test("a chain that ends without records asks for the target")
    func chainToQuery() throws {
        let response = try ZonePacket.response(
            question: "example.com. IN MX",
            answer: ["example.com. 70 IN CNAME elsewhere.example.net."]
        )
        guard case .alias(let target, let ttl) = try mx(response) else {
            Issue.record("expected alias")
            return
        }
        #expect(target == "elsewhere.example.net")
        #expect(ttl == 70)
    }

    @Test("a CNAME loop is malformed")
    func loop() throws {
        let response = try ZonePacket.response(
            question: "example.com. IN MX",
            answer: ["example.com. 70 IN CNAME b.example.com.", "b.example.com. 70 IN CNAME example.com."]
        )
        #expect(throws: DNSError.malformed("example.com")) { try mx(response) }
    }

    @Test("NXDOMAIN and NODATA carry the SOA negative TTL (RFC 2308 §5)")
    func negative() throws {
        let soa = "example.com. 60 IN SOA ns.example.com. h.example.com. 1 2 3 4 600"
        let nx = try ZonePacket.response(rcode: 3, question: "example.com. IN MX", authority: [soa])
        #expect(throws: DNSError.nxdomain("example.com", negativeTTL: .seconds(60))) { try mx(nx) }
        let nodata = try ZonePacket.response(question: "example.com. IN MX", authority: [soa])
        #expect(throws: DNSError.noData("example.com", negativeTTL: .seconds(60))) { try mx(nodata) }
        let bare = try ZonePacket.response(question: "example.com. IN MX")
        #expect(throws: DNSError.noData("example.com", negativeTTL: nil)) { try mx(bare) }
    }

    @Test("records of another type are NODATA", arguments: ["example.com. 300 IN A 192.0.2.1"])
    func otherType(record: String) throws {
        let response = try ZonePacket.response(question: "example.com. IN MX", answer: [record])
        #expect(throws: DNSError.noData("example.com", negativeTTL: nil)) { try mx(response) }
    }

    @Test("error RCODEs are server failures", arguments: [UInt8(1), 2, 4, 5, 9])
    func failures(rcode: UInt8) throws {
        let response = try ZonePacket.response(rcode: rcode, question: "example.com. IN MX")
        #expect(throws: DNSError.serverFailure("example.com")) { try mx(response) }
    }

    @Test("an answer to another question is malformed")
    func mismatch() throws {
        let wrongName = try ZonePacket.response(question: "other.com. IN MX", answer: ["other.com. 1 IN MX 1 a."])
        #expect(throws: DNSError.malformed("example.com")) { try mx(wrongName) }
        let wrongType = try ZonePacket.response(question: "example.com. IN A")
        #expect(throws: DNSError.malformed("example.com")) { try mx(wrongType) }
    }

    @Test("DNSLookup re-queries the chain target and keeps the smallest TTL")
    func lookupFollowsAcrossQueries() throws {
        let responses: [String: DNSResponse] = [
            "a.test": try ZonePacket.response(question: "a.test. IN TXT", answer: ["a.test. 30 IN CNAME b.test."]),
            "b.test": try ZonePacket.response(
                question: "b.test. IN TXT",
                answer: [#"b.test. 300 IN TXT "v=spf1 " "-all""#]
            ),
        ]
        var asked: [String] = []
        let answer = try DNSLookup.run(
            name: "a.test",
            type: .txt,
            query: { (name, _) throws(DNSError) in
                asked.append(name)
                guard let response = responses[name] else { throw .timeout(name) }
                return response
            },
            extract: DNSLookup.text
        )
        #expect(asked == ["a.test", "b.test"])
        #expect(answer == DNSAnswer(records: ["v=spf1 -all"], ttl: .seconds(30), canonicalName: "b.test"))
    }

    @Test("DNSLookup gives up on endless chains")
    func lookupChainLimit() throws {
        var count = 0
        #expect(throws: DNSError.malformed("n0.test")) {
            try DNSLookup.run(
                name: "n0.test",
                type: .a,
                query: { (name, _) throws(DNSError) in
                    count += 1
                    let next = "n\(count).test"
                    return DNSResponse(
                        code: .noError,
                        question: .init(name: name, type: .a),
                        answers: [.init(name: name, type: .cname, ttl: 1, data: .cname(next))]
                    )
                },
                extract: DNSLookup.ipv4
            )
        }
        #expect(count == DNSLookup.maximumQueries)
    }
}
