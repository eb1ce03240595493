import Foundation

/// A local address to send from and the EHLO name that goes with it.
public struct EgressSource: Sendable, Hashable {
    public var name: String
    public var localAddress: String?
    public var ehloName: String?
    /// Day one of its warm-up; nil: no daily cap.
    public var warmupStart: Date?

    public init(name: String, localAddress: String? = nil, ehloName: String? = nil, warmupStart: Date? = nil) {
        self.name = name
        self.localAddress = localAddress
        self.ehloName = ehloName
        self.warmupStart = warmupStart
    }

    /// The source used when none is configured: any local address.
    public static let implicit = EgressSource(name: "default")
}

/// Sources with weights.
public struct EgressPool: Sendable {
    public var name: String
    public var members: [(source: EgressSource, weight: Int)]

    public init(name: String, members: [(source: EgressSource, weight: Int)]) {
        self.name = name
        self.members = members
    }

    /// Members in a weighted random order: the first is the choice, the
    /// rest are the fall-backs when it is capped.
    func ordered(random: inout some RandomNumberGenerator) -> [EgressSource] {
        if members.count == 1 { return [members[0].source] }
        var remaining = members
        var order: [EgressSource] = []
        while !remaining.isEmpty {
            let total = remaining.reduce(0) { $0 + $1.weight }
            var pick = Int.random(in: 0..<max(total, 1), using: &random)
            var index = 0
            while index < remaining.count - 1 && pick >= remaining[index].weight {
                pick -= remaining[index].weight
                index += 1
            }
            order.append(remaining.remove(at: index).source)
        }
        return order
    }
}

/// Which pool a campaign's or a tenant's mail leaves through.
public struct EgressPolicy: Sendable {
    public var pools: [String: EgressPool]
    public var tenantPools: [String: String]
    public var campaignPools: [String: String]

    public init(
        pools: [String: EgressPool] = [:], tenantPools: [String: String] = [:], campaignPools: [String: String] = [:]
    ) {
        self.pools = pools
        self.tenantPools = tenantPools
        self.campaignPools = campaignPools
    }

    /// The campaign's pool, else the tenant's, else the pool named "default", else the implicit source.
    public func pool(tenant: String, campaign: String = "") -> EgressPool {
        if !campaign.isEmpty, let name = campaignPools[campaign], let pool = pools[name] { return pool }
        if let name = tenantPools[tenant], let pool = pools[name] { return pool }
        if let pool = pools["default"] { return pool }
        return EgressPool(name: "implicit", members: [(.implicit, 1)])
    }
}
