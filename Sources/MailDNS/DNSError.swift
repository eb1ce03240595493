/// Why a lookup gave no records. Every case carries the name asked for.
public enum DNSError: Error, Sendable, Hashable {
    /// The name does not exist (RFC 1035 §4.1.1 RCODE 3, RFC 8020).
    /// `negativeTTL` comes from the SOA of the authority section
    /// (RFC 2308 §5) when the server sent one.
    case nxdomain(String, negativeTTL: Duration?)
    /// The name exists but has no record of the type asked for
    /// (RFC 2308 §2.2).
    case noData(String, negativeTTL: Duration?)
    /// SERVFAIL, REFUSED or another error RCODE (RFC 1035 §4.1.1).
    case serverFailure(String)
    /// No nameserver answered within the timeout and retries.
    case timeout(String)
    /// An answer that cannot be used: undecodable, not matching the
    /// question, or a CNAME chain that loops or is too long.
    case malformed(String)
    /// The name is not a valid domain name (RFC 1035 §2.3.4 limits,
    /// non-ASCII without IDNA conversion).
    case invalidName(String)
    /// The resolver cannot run queries: its thread pool was shut down or its
    /// configuration could not be loaded.
    case resolverUnavailable(String)

    /// The name that was asked for.
    public var name: String {
        switch self {
        case .nxdomain(let name, _), .noData(let name, _), .serverFailure(let name), .timeout(let name),
            .malformed(let name), .invalidName(let name), .resolverUnavailable(let name):
            return name
        }
    }

    /// Whether asking again later can give another answer. NXDOMAIN and
    /// NODATA are authoritative statements; everything else is transient
    /// (RFC 5321 §4.5.4.1 asks clients to retry on temporary failures).
    public var isPermanent: Bool {
        switch self {
        case .nxdomain, .noData, .invalidName:
            return true
        case .serverFailure, .timeout, .malformed, .resolverUnavailable:
            return false
        }
    }
}

extension DNSError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .nxdomain(let name, _): return "\(name): no such domain (NXDOMAIN)"
        case .noData(let name, _): return "\(name): no record of the requested type"
        case .serverFailure(let name): return "\(name): server failure"
        case .timeout(let name): return "\(name): no answer from any nameserver"
        case .malformed(let name): return "\(name): unusable answer"
        case .invalidName(let name): return "\(name): invalid domain name"
        case .resolverUnavailable(let name): return "\(name): resolver unavailable"
        }
    }
}
