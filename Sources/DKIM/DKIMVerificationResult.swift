/// The outcome of verifying one DKIM-Signature, in RFC 8601 §2.7.1 terms.
public struct DKIMVerificationResult: Sendable, Equatable {
    /// RFC 8601 §2.7.1 result values for the "dkim" method (`policy` is left to local policy, not the verifier).
    public enum Status: String, Sendable, Equatable {
        /// The message carried no DKIM-Signature.
        case none
        case pass
        /// The signature or body hash did not verify, or the signature has expired.
        case fail
        /// The signature could not be processed: syntax errors, unknown algorithm or version.
        case neutral
        /// A key lookup failed temporarily (DNS timeout, SERVFAIL).
        case temperror
        /// No key, a revoked or malformed key, or a key that may not be used for this signature.
        case permerror
    }

    public var status: Status
    /// Why, in a few words (goes into `reason="..."`); nil for a plain pass.
    public var reason: String?
    /// `d=`, `s=`, `i=`, `a=` and the start of `b=` when the signature could be parsed that far.
    public var domain: String?
    public var selector: String?
    public var identity: String?
    public var algorithm: String?
    public var signaturePrefix: String?
    /// Remarks that do not change the status: `l=` covers part of the body, the key is in testing mode (t=y),
    /// rsa-sha1 was accepted.
    public var notes: [String]

    public init(
        status: Status, reason: String? = nil, domain: String? = nil, selector: String? = nil,
        identity: String? = nil, algorithm: String? = nil, signaturePrefix: String? = nil, notes: [String] = []
    ) {
        self.status = status
        self.reason = reason
        self.domain = domain
        self.selector = selector
        self.identity = identity
        self.algorithm = algorithm
        self.signaturePrefix = signaturePrefix
        self.notes = notes
    }

    // RFC 8601 §2.2:  resinfo = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
    //                 methodspec = [CFWS] method [CFWS] "=" [CFWS] result
    //                 reasonspec = "reason" [CFWS] "=" [CFWS] value
    //                 propspec = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
    // RFC 8601 §2.7.1 registers header.d, header.i, header.a, header.s for dkim; RFC 6008 adds header.b.
    /// The `dkim=...` resinfo for an Authentication-Results field, e.g.
    /// `dkim=pass header.d=example.com header.s=sel header.i=@example.com header.a=rsa-sha256 header.b=abcd1234`.
    public var authenticationResultsValue: String {
        var parts = ["dkim=\(status.rawValue)"]
        var reasons: [String] = []
        if let reason { reasons.append(reason) }
        reasons.append(contentsOf: notes)
        if !reasons.isEmpty {
            parts.append("reason=" + AuthenticationResults.quoted(reasons.joined(separator: "; ")))
        }
        let properties: [(String, String?)] = [
            ("header.d", domain), ("header.s", selector), ("header.i", identity), ("header.a", algorithm),
            ("header.b", signaturePrefix),
        ]
        for case (let name, let value?) in properties where !value.isEmpty {
            parts.append("\(name)=\(AuthenticationResults.propertyValue(value))")
        }
        return parts.joined(separator: " ")
    }
}
