/// One canonicalisation algorithm (RFC 6376 §3.4).
public enum DKIMCanonicalizationAlgorithm: String, Sendable, Hashable {
    /// §3.4.1 (header) and §3.4.3 (body): nothing changes but trailing empty lines of the body.
    case simple
    /// §3.4.2 (header) and §3.4.4 (body): white space folded and trimmed, header names lower-cased.
    case relaxed
}

/// The `c=` tag: header and body canonicalisation (RFC 6376 §3.5).
public struct DKIMCanonicalization: Sendable, Hashable, CustomStringConvertible {
    public var header: DKIMCanonicalizationAlgorithm
    public var body: DKIMCanonicalizationAlgorithm

    public init(header: DKIMCanonicalizationAlgorithm, body: DKIMCanonicalizationAlgorithm) {
        self.header = header
        self.body = body
    }

    public static let relaxedRelaxed = DKIMCanonicalization(header: .relaxed, body: .relaxed)
    public static let simpleSimple = DKIMCanonicalization(header: .simple, body: .simple)

    // RFC 6376 §3.5: sig-c-tag = %x63 [FWS] "=" [FWS] sig-c-tag-alg ["/" sig-c-tag-alg]
    // "If only one algorithm is named, that algorithm is used for the header and "simple" is used for the body."
    /// Parses a `c=` value (`relaxed/simple`, `relaxed` …); nil for an unknown algorithm.
    public init?(tagValue: some StringProtocol) {
        let parts = tagValue.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            let header = DKIMCanonicalizationAlgorithm(rawValue: String(parts[0]).lowercased())
        else { return nil }
        var body = DKIMCanonicalizationAlgorithm.simple
        if parts.count == 2 {
            guard let parsed = DKIMCanonicalizationAlgorithm(rawValue: String(parts[1]).lowercased()) else {
                return nil
            }
            body = parsed
        }
        self.init(header: header, body: body)
    }

    public var description: String { "\(header.rawValue)/\(body.rawValue)" }
}
