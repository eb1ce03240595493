import MailDNS
import Queue
import Testing

@testable import Delivery

/// Routes: relays in order, then MX when the route says so; other domains direct.
@Suite struct RoutedPlannerTests {
    struct FixedResolver: DNSResolver {
        func mx(_ domain: String) async throws(DNSError) -> DNSAnswer<[MXRecord]> {
            throw .nxdomain(domain, negativeTTL: nil)
        }

        func addresses(_ host: String) async throws(DNSError) -> DNSAnswer<[IPAddressRecord]> {
            guard host == "relay.esp.test" else { throw .nxdomain(host, negativeTTL: nil) }
            return DNSAnswer(records: [.ipv4("192.0.2.25")], ttl: .seconds(60), canonicalName: nil)
        }

        func txt(_ name: String) async throws(DNSError) -> DNSAnswer<[String]> {
            throw .nxdomain(name, negativeTTL: nil)
        }
    }

    static let direct = StaticRoutePlanner(plans: [
        "corp.test": .success(DeliveryPlan(hosts: [.init(name: "mx.corp.test", addresses: ["192.0.2.1"], port: 25)]))
    ])

    static func planner() -> RoutedPlanner {
        RoutedPlanner(
            routes: [
                .init(
                    domains: ["corp.test"], tenant: "", hops: ["relay.esp.test:587", "192.0.2.26:2525", "mx"],
                    relay: RelaySettings(tls: "required", user: "u", password: "p")),
                .init(
                    domains: ["*"], tenant: "acme", hops: ["relay.esp.test:587"], relay: RelaySettings(tls: "required")),
            ], direct: direct, resolver: FixedResolver())
    }

    @Test func relaysThenMX() async throws {
        let plan = try await Self.planner().plan(domain: "corp.test", tenant: "").get()
        #expect(plan.hosts.map(\.name) == ["relay.esp.test", "192.0.2.26", "mx.corp.test"])
        #expect(plan.hosts.map(\.port) == [587, 2525, 25])
        #expect(plan.hosts[0].addresses == ["192.0.2.25"])
        #expect(plan.hosts[0].relay?.user == "u")
        #expect(plan.hosts[2].relay == nil)
    }

    @Test func tenantRoute() async throws {
        let plan = try await Self.planner().plan(domain: "elsewhere.test", tenant: "acme").get()
        #expect(plan.hosts.map(\.name) == ["relay.esp.test"])
        let direct = await Self.planner().plan(domain: "elsewhere.test", tenant: "other")
        guard case .failure(.permanent) = direct else {
            Issue.record("a domain without route or MX plan must fail permanently, got \(direct)")
            return
        }
    }
}
