/// How long `CachingResolver` keeps answers and failures.
public struct DNSCachePolicy: Sendable, Hashable {
    /// Upper bound on a positive answer's lifetime, whatever its TTL
    /// (RFC 2181 §8 allows TTLs up to 68 years).
    public var maximumTTL: Duration
    /// NXDOMAIN or NODATA that came without an SOA record.
    public var negativeTTL: Duration
    /// Upper bound on NXDOMAIN and NODATA lifetimes taken from the SOA
    /// (RFC 2308 §5: min(SOA TTL, MINIMUM), commonly capped at hours;
    /// an MTA retrying a freshly fixed domain wants minutes).
    public var maximumNegativeTTL: Duration
    /// SERVFAIL, timeout or an unusable answer. RFC 2308 §7.1, §7.2: at
    /// most five minutes; longer values are cut to that.
    public var failureTTL: Duration
    /// Lower bound on a positive answer's lifetime (like unbound's
    /// cache-min-ttl): a TTL of 0 would otherwise mean a lookup per message.
    public var minimumTTL: Duration
    /// Entries kept at most; when full, expired entries go first, then the
    /// quarter closest to expiring.
    public var maximumEntries: Int

    public init(
        maximumTTL: Duration = .seconds(86_400),
        negativeTTL: Duration = .seconds(60),
        maximumNegativeTTL: Duration = .seconds(900),
        failureTTL: Duration = .seconds(30),
        maximumEntries: Int = 10_000,
        minimumTTL: Duration = .zero
    ) {
        self.minimumTTL = minimumTTL
        self.maximumTTL = maximumTTL
        self.negativeTTL = negativeTTL
        self.maximumNegativeTTL = maximumNegativeTTL
        self.failureTTL = failureTTL
        self.maximumEntries = maximumEntries
    }

    /// How long an answer with `ttl` is kept.
    func lifetime(ofAnswerWith ttl: Duration) -> Duration {
        min(max(ttl, minimumTTL, .zero), maximumTTL)
    }

    /// How long a failure is kept; zero for errors that say nothing about
    /// the name's DNS data (an invalid name, a resolver shut down).
    func lifetime(of error: DNSError) -> Duration {
        switch error {
        case .nxdomain(_, let ttl), .noData(_, let ttl):
            return min(max(ttl ?? negativeTTL, .zero), maximumNegativeTTL)
        case .serverFailure, .timeout, .malformed:
            return min(max(failureTTL, .zero), .seconds(300))
        case .invalidName, .resolverUnavailable:
            return .zero
        }
    }
}
