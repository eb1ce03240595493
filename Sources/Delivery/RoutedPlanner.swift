import MailDNS
import Queue

/// Routes before MX: a domain (or a tenant's mail) configured to go through
/// an upstream relay gets the relays in order, then — when the route says
/// "mx" — the domain's own MX hosts as the last fall-back.
public struct RoutedPlanner: RoutePlanner {
    public struct Route: Sendable {
        public var domains: [String]
        public var tenant: String
        /// "host:port" or "mx".
        public var hops: [String]
        public var relay: RelaySettings

        public init(domains: [String], tenant: String, hops: [String], relay: RelaySettings) {
            self.domains = domains
            self.tenant = tenant
            self.hops = hops
            self.relay = relay
        }

        func matches(domain: String, tenant: String) -> Bool {
            (self.tenant.isEmpty || self.tenant == tenant) && domains.contains { $0 == "*" || $0 == domain }
        }
    }

    let routes: [Route]
    let direct: any RoutePlanner
    let resolver: any DNSResolver

    public init(routes: [Route], direct: any RoutePlanner, resolver: any DNSResolver) {
        self.routes = routes
        self.direct = direct
        self.resolver = resolver
    }

    public func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure> {
        await plan(domain: domain, tenant: "")
    }

    public func plan(domain: String, tenant: String) async -> Result<DeliveryPlan, PlanFailure> {
        guard let route = routes.first(where: { $0.matches(domain: domain, tenant: tenant) }) else {
            return await direct.plan(domain: domain)
        }
        var hosts: [DeliveryPlan.Host] = []
        var lastFailure = PlanFailure.temporary(status: "4.4.3", text: "no relay of the route resolved")
        for hop in route.hops {
            if hop == "mx" {
                switch await direct.plan(domain: domain) {
                case .success(let plan): hosts += plan.hosts
                case .failure(let failure): lastFailure = failure
                }
                continue
            }
            guard let colon = hop.lastIndex(of: ":"), let port = Int(hop[hop.index(after: colon)...]) else { continue }
            let name = String(hop[..<colon]).trimmingCharacters(in: ["[", "]"])
            let addresses: [String]
            if name.allSatisfy({ $0.isNumber || $0 == "." }) || name.contains(":") {
                addresses = [name]
            } else {
                do {
                    addresses = try await resolver.addresses(name).records.map(\.address)
                } catch {
                    lastFailure = .temporary(status: "4.4.3", text: "relay \(name): \(error)")
                    continue
                }
            }
            hosts.append(DeliveryPlan.Host(name: name, addresses: addresses, port: port, relay: route.relay))
        }
        return hosts.isEmpty ? .failure(lastFailure) : .success(DeliveryPlan(hosts: hosts))
    }
}
