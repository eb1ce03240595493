/// Where mail for one domain goes: hosts in the order to try them.
public struct MXPlan: Sendable, Hashable {
    /// The domain planned for, normalised.
    public var domain: String
    /// Hosts with at least one address, in the order RFC 5321 §5.1 gives.
    public var hosts: [MXHost]
    /// No MX record: the domain itself is the host (RFC 5321 §5.1 implicit
    /// MX, preference 0).
    public var implicit: Bool
    /// MX hosts left out because they have no usable address, with why.
    public var skipped: [SkippedMXHost]
    /// The smallest TTL of the answers the plan was built from.
    public var ttl: Duration

    public init(domain: String, hosts: [MXHost], implicit: Bool, skipped: [SkippedMXHost] = [], ttl: Duration) {
        self.domain = domain
        self.hosts = hosts
        self.implicit = implicit
        self.skipped = skipped
        self.ttl = ttl
    }
}

/// One host to connect to.
public struct MXHost: Sendable, Hashable {
    /// The exchange name (the domain itself for an implicit MX): what the
    /// server certificate is checked against.
    public var name: String
    public var preference: Int
    /// In the planner's `AddressOrder`.
    public var addresses: [IPAddressRecord]

    public init(name: String, preference: Int, addresses: [IPAddressRecord]) {
        self.name = name
        self.preference = preference
        self.addresses = addresses
    }
}

/// An MX host that resolved to nothing usable.
public struct SkippedMXHost: Sendable, Hashable {
    public var name: String
    public var preference: Int
    public var reason: DNSError

    public init(name: String, preference: Int, reason: DNSError) {
        self.name = name
        self.preference = preference
        self.reason = reason
    }
}
