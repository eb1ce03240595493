/// Where a domain's mail goes: MX hosts in the order to try, each with its
/// addresses (RFC 5321 §5.1), or an upstream relay.
public struct DeliveryPlan: Sendable, Hashable {
    public struct Host: Sendable, Hashable {
        public var name: String
        public var addresses: [String]
        public var port: Int
        /// An upstream relay: its TLS policy and AUTH credentials.
        public var relay: RelaySettings?

        public init(name: String, addresses: [String], port: Int, relay: RelaySettings? = nil) {
            self.name = name
            self.addresses = addresses
            self.port = port
            self.relay = relay
        }
    }

    public var hosts: [Host]

    public init(hosts: [Host]) { self.hosts = hosts }

    /// A site is a set of MX hosts: every domain served by the same hosts
    /// shares one ready queue and one set of connections.
    public var siteName: String {
        Set(hosts.map { "\($0.name.lowercased()):\($0.port)" }).sorted().joined(separator: ",")
    }
}

/// How to talk to an upstream relay (an ESP's submission endpoint).
public struct RelaySettings: Sendable, Hashable {
    /// "opportunistic", "required" or "disabled".
    public var tls: String
    public var user: String?
    public var password: String?

    public init(tls: String, user: String? = nil, password: String? = nil) {
        self.tls = tls
        self.user = user
        self.password = password
    }
}

/// Why no plan could be made.
public enum PlanFailure: Error, Sendable, Hashable {
    /// Never deliverable: NXDOMAIN, null MX (RFC 7505).
    case permanent(status: String, text: String)
    /// Try later: SERVFAIL, timeout, no usable address.
    case temporary(status: String, text: String)
}

/// Makes delivery plans; the MX resolver in production.
public protocol RoutePlanner: Sendable {
    func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure>
    /// The plan for a tenant's mail (routes may be per tenant).
    func plan(domain: String, tenant: String) async -> Result<DeliveryPlan, PlanFailure>
}

extension RoutePlanner {
    public func plan(domain: String, tenant: String) async -> Result<DeliveryPlan, PlanFailure> {
        await plan(domain: domain)
    }
}

/// What happened to one recipient in one attempt.
public struct RecipientOutcome: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case delivered, permanent, temporary }

    public var kind: Kind
    /// SMTP reply code, 0 when no reply (connection failure, DNS).
    public var code: Int
    /// Enhanced status code "5.1.1"; derived from the code when the remote gave none.
    public var status: String
    public var text: String
    /// The MX host that answered, if any.
    public var remoteHost: String?
    /// The remote reply as sent, when `status` was set locally (expiry):
    /// the DSN's Diagnostic-Code reports what the remote said (RFC 3464 §2.3.6).
    public var diagnostic: String?
    /// Which attempt this was (1 = the first), set by the queue.
    public var attempt: Int?
    /// Not attempted: the recipient is on the suppression list.
    public var suppressed = false

    public init(kind: Kind, code: Int, status: String, text: String, remoteHost: String? = nil) {
        self.kind = kind
        self.code = code
        self.status = status
        self.text = text
        self.remoteHost = remoteHost
    }

    /// The reply as a log shows it: "550 5.1.1 User unknown".
    public var replyText: String {
        if let diagnostic { return diagnostic }
        return code > 0 ? "\(code) \(status) \(text)" : "\(status) \(text)"
    }
}

/// A failure outcome can travel as an error.
extension RecipientOutcome: Error {}
