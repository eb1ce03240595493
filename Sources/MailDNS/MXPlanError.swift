/// Why a domain has no delivery plan. Each case says whether to bounce or
/// retry and which SMTP reply and enhanced status code (RFC 3463) report it.
public enum MXPlanError: Error, Sendable, Hashable {
    /// RFC 7505 §3: the domain publishes a null MX and accepts no mail.
    case nullMX(String)
    /// The domain does not exist (NXDOMAIN on MX or on the implicit MX).
    case nxdomain(String)
    /// No MX and no A/AAAA: the domain exists but names no mail host.
    case noAddress(String)
    /// RFC 5321 §5.1: our own name is the most preferred MX; delivering
    /// would loop.
    case mxLoopsBack(String)
    /// Not a domain name we can look up.
    case invalidDomain(String)
    /// SERVFAIL, a timeout, or no MX host with an address: retry later.
    case temporary(String, reason: String)

    /// The domain planned for.
    public var domain: String {
        switch self {
        case .nullMX(let domain), .nxdomain(let domain), .noAddress(let domain), .mxLoopsBack(let domain),
            .invalidDomain(let domain), .temporary(let domain, _):
            return domain
        }
    }

    public var isPermanent: Bool {
        if case .temporary = self { return false }
        return true
    }

    /// The reply a delivery report carries (RFC 5321 §4.2.3).
    public var replyCode: Int {
        switch self {
        case .nullMX: return 556  // RFC 7505 §4.2
        case .nxdomain, .noAddress, .mxLoopsBack, .invalidDomain: return 550
        case .temporary: return 451
        }
    }

    /// RFC 3463 §3.2, §3.5 and RFC 7505 §4.2 codes.
    public var enhancedStatusCode: String {
        switch self {
        case .nullMX: return "5.1.10"  // Recipient address has null MX
        case .nxdomain, .invalidDomain: return "5.1.2"  // Bad destination system address
        case .noAddress: return "5.4.4"  // Unable to route
        case .mxLoopsBack: return "5.4.6"  // Routing loop detected
        case .temporary: return "4.4.3"  // Directory server failure
        }
    }
}

extension MXPlanError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .nullMX(let domain): return "\(domain) does not accept mail (null MX)"
        case .nxdomain(let domain): return "\(domain) does not exist"
        case .noAddress(let domain): return "\(domain) has no MX and no address"
        case .mxLoopsBack(let domain): return "MX of \(domain) points back to this host"
        case .invalidDomain(let domain): return "\(domain) is not a valid domain name"
        case .temporary(let domain, let reason): return "\(domain): temporary DNS failure: \(reason)"
        }
    }
}
