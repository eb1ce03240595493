import MailDNS
import Queue

/// Delivery plans from DNS: the MX hosts of the domain in RFC 5321 §5.1
/// order with their addresses, on the configured port.
public struct MXRoutePlanner: RoutePlanner {
    let planner: MXPlanner
    let port: Int

    public init(planner: MXPlanner, port: Int = 25) {
        self.planner = planner
        self.port = port
    }

    public func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure> {
        do {
            let plan = try await planner.plan(for: domain)
            return .success(
                DeliveryPlan(
                    hosts: plan.hosts.map { host in
                        DeliveryPlan.Host(name: host.name, addresses: host.addresses.map(\.address), port: port)
                    }))
        } catch {
            let text = "\(error)"
            if error.isPermanent {
                return .failure(.permanent(status: error.enhancedStatusCode, text: text))
            }
            return .failure(.temporary(status: error.enhancedStatusCode, text: text))
        }
    }
}

/// Fixed plans per domain: for tests and for routes to a smarthost.
public struct StaticRoutePlanner: RoutePlanner {
    let plans: [String: Result<DeliveryPlan, PlanFailure>]
    let fallback: Result<DeliveryPlan, PlanFailure>?

    public init(plans: [String: Result<DeliveryPlan, PlanFailure>], fallback: Result<DeliveryPlan, PlanFailure>? = nil)
    {
        self.plans = plans
        self.fallback = fallback
    }

    public func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure> {
        plans[domain] ?? fallback ?? .failure(.permanent(status: "5.1.2", text: "\(domain) has no route"))
    }
}
