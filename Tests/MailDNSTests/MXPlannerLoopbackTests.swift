import MailDNS
import NIOPosix
import Testing

/// The whole path: MXPlanner over a CachingResolver over ldns, against a
/// real dnsmasq on loopback.
@Suite("MX plan against dnsmasq on loopback")
struct MXPlannerLoopbackTests {
    private func withPlanner(
        order: AddressOrder = .ipv4First,
        seed: UInt64 = 1,
        _ body: (MXPlanner, CachingResolver, DNSTestServer) async throws -> Void
    ) async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let cache = CachingResolver(upstream: try loopbackResolver(server, pool: pool))
                let planner = MXPlanner(
                    resolver: cache, addressOrder: order, random: SeededGeneratorBox(seed: seed).next)
                try await body(planner, cache, server)
            }
        }
    }

    @Test("preferences in order, equal ones shuffled, hosts without address skipped")
    func multi() async throws {
        try await withPlanner { planner, _, _ in
            let plan = try await planner.plan(for: "multi.test")
            #expect(!plan.implicit)
            #expect(Set(plan.hosts.prefix(2).map(\.name)) == ["mx1.multi.test", "mx2.multi.test"])
            #expect(plan.hosts.map(\.preference) == [10, 10, 20])
            #expect(plan.hosts[2] == MXHost(name: "mx3.multi.test", preference: 20, addresses: [.ipv6("2001:db8::3")]))
            let mx2 = plan.hosts.first { $0.name == "mx2.multi.test" }
            #expect(mx2?.addresses == [.ipv4("192.0.2.2"), .ipv6("2001:db8::2")])
            #expect(
                plan.skipped == [
                    SkippedMXHost(
                        name: "nowhere.multi.test",
                        preference: 30,
                        reason: .nxdomain("nowhere.multi.test", negativeTTL: nil)
                    ),
                    SkippedMXHost(
                        name: "txtonly.multi.test",
                        preference: 40,
                        reason: .noData("txtonly.multi.test", negativeTTL: nil)
                    ),
                ]
            )
            #expect(plan.ttl == .seconds(300))
        }
    }

    @Test("both orders of the equal pair occur across seeds")
    func equalPreferenceOrders() async throws {
        var firsts: Set<String> = []
        for seed in UInt64(0)..<8 {
            try await withPlanner(seed: seed) { planner, _, _ in
                firsts.insert(try await planner.plan(for: "multi.test").hosts[0].name)
            }
        }
        #expect(firsts == ["mx1.multi.test", "mx2.multi.test"])
    }

    @Test("null MX is a permanent failure even though the domain has an A record")
    func nullMX() async throws {
        try await withPlanner { planner, _, _ in
            await #expect(throws: MXPlanError.nullMX("nullmx.test")) { try await planner.plan(for: "nullmx.test") }
        }
    }

    @Test("no MX: implicit MX from A and AAAA, also through a CNAME")
    func implicitMX() async throws {
        try await withPlanner(order: .ipv6First) { planner, _, _ in
            let plan = try await planner.plan(for: "implicit.test")
            #expect(plan.implicit)
            #expect(
                plan.hosts == [
                    MXHost(
                        name: "implicit.test", preference: 0, addresses: [.ipv6("2001:db8::10"), .ipv4("192.0.2.10")])
                ]
            )
            let aliased = try await planner.plan(for: "implicit-alias.test")
            #expect(aliased.implicit)
            #expect(aliased.hosts.first?.addresses.count == 2)
        }
    }

    @Test("CNAME for the domain and for an MX host")
    func cnames() async throws {
        try await withPlanner { planner, _, _ in
            #expect(try await planner.plan(for: "alias.test").hosts.count == 3)
            let plan = try await planner.plan(for: "cnamemx.test")
            #expect(
                plan.hosts == [MXHost(name: "mail-alias.cnamemx.test", preference: 5, addresses: [.ipv4("192.0.2.50")])]
            )
        }
    }

    @Test("NXDOMAIN is permanent; all MX hosts without address is temporary")
    func failures() async throws {
        try await withPlanner { planner, _, _ in
            await #expect(throws: MXPlanError.nxdomain("nope.test")) { try await planner.plan(for: "nope.test") }
            await #expect {
                try await planner.plan(for: "deadhosts.test")
            } throws: { error in
                guard let error = error as? MXPlanError, case .temporary = error else { return false }
                return !error.isPermanent
            }
        }
    }

    @Test("SERVFAIL and timeout are temporary")
    func temporary() async throws {
        try await withDNSServer(FixtureZone.configuration) { zone in
            try await withDNSServer(FixtureZone.servfailConfiguration(upstreamPort: zone.port)) { validator in
                try await withThreadPool { pool in
                    let planner = MXPlanner(resolver: try loopbackResolver(validator, pool: pool))
                    await #expect(throws: MXPlanError.temporary("multi.test", reason: "multi.test: server failure")) {
                        try await planner.plan(for: "multi.test")
                    }
                }
            }
        }
        let (silent, port) = try DNSTestServer.boundSocket(type: datagramSocketType, port: 0)
        defer { closeSocket(silent) }
        try await withThreadPool { pool in
            let resolver = try LDNSResolver(
                configuration: .init(nameservers: ["127.0.0.1"], port: port, timeout: .milliseconds(100), attempts: 1),
                threadPool: pool
            )
            let error = await #expect(throws: MXPlanError.self) {
                try await MXPlanner(resolver: resolver).plan(for: "multi.test")
            }
            #expect(error?.isPermanent == false)
            #expect(error?.enhancedStatusCode == "4.4.3")
        }
    }

    @Test("the cache answers a second plan with the server gone")
    func cached() async throws {
        try await withPlanner { planner, cache, server in
            let first = try await planner.plan(for: "multi.test")
            #expect(cache.count == 6)  // 1 MX + 5 hosts
            server.stop()
            let second = try await planner.plan(for: "multi.test")
            #expect(Set(second.hosts) == Set(first.hosts))
            #expect(cache.count == 6)
        }
    }
}
