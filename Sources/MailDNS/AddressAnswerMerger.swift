/// Combines the A and AAAA lookups of one host into one answer.
///
/// Records from either family make an answer (a host reachable over IPv4
/// is usable while its AAAA lookup fails). Without records, a temporary
/// failure wins over a permanent one, so that a SERVFAIL is retried rather
/// than taken as "no address"; two NXDOMAINs are NXDOMAIN; anything else
/// is NODATA.
enum AddressAnswerMerger {
    typealias Outcome = Result<DNSAnswer<[IPAddressRecord]>, DNSError>

    static func merge(name: String, ipv4: Outcome, ipv6: Outcome) -> Outcome {
        switch (ipv4, ipv6) {
        case (.success(let four), .success(let six)):
            return .success(
                DNSAnswer(
                    records: four.records + six.records,
                    ttl: min(four.ttl, six.ttl),
                    canonicalName: four.canonicalName ?? six.canonicalName
                )
            )
        case (.success(let answer), .failure), (.failure, .success(let answer)):
            return .success(answer)
        case (.failure(let four), .failure(let six)):
            if !four.isPermanent { return .failure(four) }
            if !six.isPermanent { return .failure(six) }
            switch (four, six) {
            case (.nxdomain(_, let ttl4), .nxdomain(_, let ttl6)):
                return .failure(.nxdomain(name, negativeTTL: smaller(ttl4, ttl6)))
            case (.invalidName, _), (_, .invalidName):
                return .failure(.invalidName(name))
            default:
                return .failure(.noData(name, negativeTTL: smaller(four.negativeTTL, six.negativeTTL)))
            }
        }
    }

    private static func smaller(_ first: Duration?, _ second: Duration?) -> Duration? {
        switch (first, second) {
        case (let first?, let second?): return min(first, second)
        case (let first?, nil): return first
        case (nil, let second): return second
        }
    }
}

extension DNSError {
    /// The negative-caching TTL an NXDOMAIN or NODATA came with.
    var negativeTTL: Duration? {
        switch self {
        case .nxdomain(_, let ttl), .noData(_, let ttl): return ttl
        default: return nil
        }
    }
}
