import Testing

@testable import MailDNS

@Suite("MX plan with a scripted resolver (RFC 5321 §5.1, RFC 7505)")
struct MXPlannerTests {
    let stub = StubResolver()

    func planner(order: AddressOrder = .ipv4First, local: Set<String> = []) -> MXPlanner {
        let generator = SeededGeneratorBox(seed: 3)
        return MXPlanner(resolver: stub, addressOrder: order, localHostNames: local, random: generator.next)
    }

    func mx(_ records: [(Int, String)], ttl: Int = 300) -> Result<DNSAnswer<[MXRecord]>, DNSError> {
        .success(
            DNSAnswer(records: records.map { MXRecord(preference: $0.0, exchange: $0.1) }, ttl: .seconds(Int64(ttl))))
    }

    func addresses(_ records: [IPAddressRecord], ttl: Int = 300) -> Result<DNSAnswer<[IPAddressRecord]>, DNSError> {
        .success(DNSAnswer(records: records, ttl: .seconds(Int64(ttl))))
    }

    @Test("hosts in preference order with their addresses; the plan's TTL is the smallest")
    func ordered() async throws {
        stub.setMX("example.com", mx([(20, "b.example.com"), (10, "a.example.com")], ttl: 3600))
        stub.setAddresses("a.example.com", addresses([.ipv6("2001:db8::a"), .ipv4("192.0.2.10")], ttl: 120))
        stub.setAddresses("b.example.com", addresses([.ipv4("192.0.2.20")]))
        let plan = try await planner().plan(for: "Example.COM")
        #expect(plan.domain == "example.com")
        #expect(!plan.implicit)
        #expect(
            plan.hosts == [
                MXHost(name: "a.example.com", preference: 10, addresses: [.ipv4("192.0.2.10"), .ipv6("2001:db8::a")]),
                MXHost(name: "b.example.com", preference: 20, addresses: [.ipv4("192.0.2.20")]),
            ]
        )
        #expect(plan.ttl == .seconds(120))
    }

    @Test("null MX fails at once, without looking for addresses")
    func nullMX() async {
        stub.setMX("example.com", mx([(0, ".")]))
        stub.setAddresses("example.com", addresses([.ipv4("192.0.2.1")]))
        await #expect(throws: MXPlanError.nullMX("example.com")) { try await planner().plan(for: "example.com") }
        #expect(stub.calls == ["MX example.com"])
        let error = MXPlanError.nullMX("example.com")
        #expect(error.isPermanent && error.replyCode == 556 && error.enhancedStatusCode == "5.1.10")
    }

    @Test("no MX: the domain is its own host at preference 0")
    func implicitMX() async throws {
        stub.setMX("example.com", .failure(.noData("example.com", negativeTTL: nil)))
        stub.setAddresses("example.com", addresses([.ipv6("2001:db8::1"), .ipv4("192.0.2.1")]))
        let plan = try await planner(order: .ipv6First).plan(for: "example.com")
        #expect(plan.implicit)
        #expect(
            plan.hosts == [
                MXHost(name: "example.com", preference: 0, addresses: [.ipv6("2001:db8::1"), .ipv4("192.0.2.1")])
            ])
    }

    @Test(
        "failures",
        arguments: [
            (
                Result<DNSAnswer<[MXRecord]>, DNSError>.failure(.nxdomain("example.com", negativeTTL: nil)),
                MXPlanError.nxdomain("example.com")
            ),
            (
                .failure(.serverFailure("example.com")),
                .temporary("example.com", reason: "example.com: server failure")
            ),
            (
                .failure(.timeout("example.com")),
                .temporary("example.com", reason: "example.com: no answer from any nameserver")
            ),
            (.failure(.noData("example.com", negativeTTL: nil)), .noAddress("example.com")),
        ]
    )
    func failures(answer: Result<DNSAnswer<[MXRecord]>, DNSError>, expected: MXPlanError) async {
        stub.setMX("example.com", answer)
        stub.setAddresses("example.com", .failure(.noData("example.com", negativeTTL: nil)))
        await #expect(throws: expected) { try await planner().plan(for: "example.com") }
        #expect(expected.isPermanent == (expected.replyCode >= 500))
    }

    @Test("an MX host without address is skipped")
    func skipsHost() async throws {
        stub.setMX("example.com", mx([(10, "dead.example.com"), (20, "live.example.com"), (30, "flaky.example.com")]))
        stub.setAddresses("dead.example.com", .failure(.nxdomain("dead.example.com", negativeTTL: nil)))
        stub.setAddresses("live.example.com", addresses([.ipv4("192.0.2.2")]))
        stub.setAddresses("flaky.example.com", .failure(.serverFailure("flaky.example.com")))
        let plan = try await planner().plan(for: "example.com")
        #expect(plan.hosts.map(\.name) == ["live.example.com"])
        #expect(plan.skipped.map(\.name) == ["dead.example.com", "flaky.example.com"])
        #expect(
            plan.skipped.map(\.reason) == [
                .nxdomain("dead.example.com", negativeTTL: nil), .serverFailure("flaky.example.com"),
            ])
    }

    @Test("every MX host skipped is a temporary failure")
    func allSkipped() async {
        stub.setMX("example.com", mx([(10, "a.example.com"), (20, "b.example.com")]))
        stub.setAddresses("b.example.com", .success(DNSAnswer(records: [.ipv6("2001:db8::1")], ttl: .seconds(1))))
        await #expect {
            try await planner(order: .ipv4Only).plan(for: "example.com")
        } throws: { error in
            guard let error = error as? MXPlanError, case .temporary(let domain, let reason) = error else {
                return false
            }
            return domain == "example.com" && reason.contains("a.example.com") && reason.contains("b.example.com")
                && error.enhancedStatusCode == "4.4.3"
        }
    }

    @Test("our own name as best MX is a loop; a lower-preference one is cut")
    func localHost() async throws {
        stub.setMX("example.com", mx([(10, "us.example.net"), (20, "backup.example.com")]))
        await #expect(throws: MXPlanError.mxLoopsBack("example.com")) {
            try await planner(local: ["US.example.net."]).plan(for: "example.com")
        }
        stub.setMX("example.com", mx([(10, "primary.example.com"), (20, "us.example.net"), (30, "x.example.com")]))
        stub.setAddresses("primary.example.com", addresses([.ipv4("192.0.2.1")]))
        let plan = try await planner(local: ["us.example.net"]).plan(for: "example.com")
        #expect(plan.hosts.map(\.name) == ["primary.example.com"])
    }

    @Test("equal preferences follow the injected randomness")
    func randomEqual() async throws {
        stub.setMX("example.com", mx([(10, "a"), (10, "b"), (10, "c"), (10, "d")]))
        for name in ["a", "b", "c", "d"] {
            stub.setAddresses(name, addresses([.ipv4("192.0.2.1")]))
        }
        var orders: Set<[String]> = []
        for seed in UInt64(0)..<20 {
            let planner = MXPlanner(resolver: stub, random: SeededGeneratorBox(seed: seed).next)
            let again = MXPlanner(resolver: stub, random: SeededGeneratorBox(seed: seed).next)
            let first = try await planner.plan(for: "example.com").hosts.map(\.name)
            #expect(try await again.plan(for: "example.com").hosts.map(\.name) == first)
            orders.insert(first)
        }
        #expect(orders.count > 5)
    }

    @Test("an invalid domain is permanent")
    func invalid() async {
        await #expect(throws: MXPlanError.invalidDomain("exa mple.com")) {
            try await planner().plan(for: "exa mple.com")
        }
    }
}
