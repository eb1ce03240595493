/// Which signatures to apply to a message: keys per signing domain, tenant mappings and key rotation, as data
/// (RFC 6376 §3.1 selectors, §3.3 algorithms; RFC 8463 §6 dual RSA + Ed25519 signing).
///
/// The configuration the lead wires into this (TOML, key files read by the config loader):
///
///     [dkim]
///     canonicalization = "relaxed/relaxed"            # c=, default relaxed/relaxed
///     headers = ["From", "To", "Subject", ...]         # default DKIMSigner.defaultHeaders
///     oversign = ["From", "To", "Subject", "Date", ...] # default DKIMSigner.defaultOversignedHeaders
///     expiration = "14d"                               # x= = t= + this; absent: no x=
///
///     [[dkim.domain]]
///     name = "example.com"
///     [[dkim.domain.key]]                              # one entry per algorithm slot: dual signing = two
///     selector = "rsa2026a"
///     key_file = "/etc/petrel/dkim/example.com/rsa2026a.private"
///     next_selector = "rsa2026b"                       # optional rotation
///     next_key_file = "/etc/petrel/dkim/example.com/rsa2026b.private"
///     switch_at = "2026-12-01T00:00:00Z"              # from then on next_* signs
///     [[dkim.domain.key]]
///     selector = "ed2026a"
///     key_file = "/etc/petrel/dkim/example.com/ed2026a.private"
///
///     [dkim.tenants]                                   # tenant id → signing domain
///     acme = "acme.example"
public struct DKIMSigningPolicy: Sendable {
    /// One selector and its key.
    public struct SelectorKey: Sendable {
        public var selector: String
        public var key: DKIMPrivateKey

        public init(selector: String, key: DKIMPrivateKey) {
            self.selector = selector
            self.key = key
        }
    }

    /// An active key and, optionally, the next one and the moment it takes over.
    public struct RotatingKey: Sendable {
        public var active: SelectorKey
        public var next: SelectorKey?
        /// Seconds since the Unix epoch; from this instant on, `next` signs.
        public var switchAt: Int64?

        public init(active: SelectorKey, next: SelectorKey? = nil, switchAt: Int64? = nil) {
            self.active = active
            self.next = next
            self.switchAt = switchAt
        }

        public func current(at time: Int64) -> SelectorKey {
            if let next, let switchAt, time >= switchAt { return next }
            return active
        }
    }

    /// The keys of one signing domain (`d=`).
    public struct Domain: Sendable {
        public var name: String
        /// Each entry yields one signature; an RSA and an Ed25519 entry give dual signing.
        public var keys: [RotatingKey]

        public init(name: String, keys: [RotatingKey]) {
            self.name = DKIMDomain.normalized(name)
            self.keys = keys
        }
    }

    /// Settings shared by every signer the policy produces.
    public var canonicalization: DKIMCanonicalization
    public var headers: [String]
    public var oversignedHeaders: Set<String>
    /// Seconds added to `t=` for `x=`; nil for no `x=`.
    public var expiration: Int64?
    /// Signing domains by name (lower-case, no trailing dot).
    public private(set) var domains: [String: Domain] = [:]
    /// Tenant → signing domain: a tenant signs with its own domain whatever the From says.
    public var tenantDomains: [String: String]
    /// Sign a subdomain's mail with the closest configured parent domain (`news.example.com` with
    /// `example.com`), which DMARC relaxed alignment accepts (RFC 7489 §3.1.1).
    public var matchParentDomains: Bool

    public init(
        domains: [Domain] = [], tenantDomains: [String: String] = [:],
        canonicalization: DKIMCanonicalization = .relaxedRelaxed, headers: [String] = DKIMSigner.defaultHeaders,
        oversignedHeaders: Set<String> = DKIMSigner.defaultOversignedHeaders, expiration: Int64? = nil,
        matchParentDomains: Bool = true
    ) {
        self.canonicalization = canonicalization
        self.headers = headers
        self.oversignedHeaders = oversignedHeaders
        self.expiration = expiration
        self.tenantDomains = tenantDomains
        self.matchParentDomains = matchParentDomains
        for domain in domains { add(domain) }
    }

    public mutating func add(_ domain: Domain) {
        domains[domain.name] = domain
    }

    /// The signing domain for a message: the tenant's mapped domain if there is one, else the From domain (or,
    /// with `matchParentDomains`, its closest configured parent); nil when nothing is configured for it.
    public func signingDomain(fromDomain: String?, tenant: String? = nil) -> Domain? {
        if let tenant, let mapped = tenantDomains[tenant] {
            return domains[DKIMDomain.normalized(mapped)]
        }
        guard let fromDomain else { return nil }
        var candidate = DKIMDomain.normalized(fromDomain)
        while !candidate.isEmpty {
            if let domain = domains[candidate] { return domain }
            guard matchParentDomains, let dot = candidate.firstIndex(of: ".") else { break }
            candidate = String(candidate[candidate.index(after: dot)...])
            guard candidate.contains(".") else { break }  // never sign with a bare TLD
        }
        return nil
    }

    /// The signers to apply at `time` (seconds since the Unix epoch), one per configured key of the signing
    /// domain, in configuration order; empty when the message is not to be signed.
    public func signers(fromDomain: String?, tenant: String? = nil, at time: Int64) -> [DKIMSigner] {
        guard let domain = signingDomain(fromDomain: fromDomain, tenant: tenant) else { return [] }
        return domain.keys.map { rotating in
            let current = rotating.current(at: time)
            return DKIMSigner(
                domain: domain.name, selector: current.selector, key: current.key,
                canonicalization: canonicalization, headers: headers, oversignedHeaders: oversignedHeaders,
                expiration: expiration)
        }
    }
}
