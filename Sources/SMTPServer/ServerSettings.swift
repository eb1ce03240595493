import SMTPCore

/// Settings shared by every listener of one server.
public struct ServerSettings: Sendable {
    /// Name in the banner, the EHLO reply, Received headers and Message-IDs.
    public var hostname: String
    public var limits: SMTPLimits
    /// Open connections in total and per client address.
    public var maxConnections: Int
    public var maxConnectionsPerIP: Int
    /// Whether a client address belongs to a trusted network.
    public var isTrustedClient: @Sendable (String) -> Bool
    /// Whether mail for a domain is accepted from anyone (lowercased domain).
    public var isLocalDomain: @Sendable (String) -> Bool
    /// How long sessions may go on after shutdown starts.
    public var shutdownGrace: Duration

    public init(
        hostname: String, limits: SMTPLimits = SMTPLimits(), maxConnections: Int = 2000, maxConnectionsPerIP: Int = 200,
        isTrustedClient: @escaping @Sendable (String) -> Bool = { _ in false },
        isLocalDomain: @escaping @Sendable (String) -> Bool = { _ in false },
        shutdownGrace: Duration = .seconds(30)
    ) {
        self.hostname = hostname
        self.limits = limits
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.isTrustedClient = isTrustedClient
        self.isLocalDomain = isLocalDomain
        self.shutdownGrace = shutdownGrace
    }
}
