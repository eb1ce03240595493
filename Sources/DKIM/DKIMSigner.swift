import NIOCore

/// Signs messages for one domain and selector (RFC 6376 §5). Sign once, at acceptance: `sign` returns the
/// DKIM-Signature field to put in front of the message, and the message bytes themselves are never changed.
public struct DKIMSigner: Sendable {
    /// `d=`.
    public var domain: String
    /// `s=`.
    public var selector: String
    public var key: DKIMPrivateKey
    /// `c=`; relaxed/relaxed survives the common re-folding and white-space changes in transit.
    public var canonicalization: DKIMCanonicalization
    /// Header fields to sign, in this order, each instance present in the message (RFC 6376 §5.4).
    public var headers: [String] {
        didSet { plan = Self.plan(headers: headers, oversigned: oversignedHeaders) }
    }
    /// Fields signed once more than they occur (RFC 6376 §8.15 "over-signing"): a field of that name added in
    /// transit, or a first one added where there was none, breaks the signature. Lower-case.
    public var oversignedHeaders: Set<String> {
        didSet { plan = Self.plan(headers: headers, oversigned: oversignedHeaders) }
    }
    /// `headers` lower-cased and without repeats, each with its over-signing flag: computed once, not per message.
    private var plan: [(name: String, oversign: Bool)]
    /// `x=` = `t=` + this many seconds; nil for no `x=`.
    public var expiration: Int64?
    /// `i=`; nil leaves it out (the default "@" + d= applies).
    public var identity: String?

    /// RFC 6376 §5.4.1 recommends these; Petrel adds the MIME and list fields a receiver displays or acts on.
    public static let defaultHeaders = [
        "From", "Reply-To", "Subject", "Date", "To", "Cc", "Resent-Date", "Resent-From", "Resent-To", "Resent-Cc",
        "In-Reply-To", "References", "List-Id", "List-Help", "List-Unsubscribe", "List-Unsubscribe-Post",
        "List-Subscribe", "List-Post", "List-Owner", "List-Archive", "Message-ID", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding", "Content-ID", "Content-Description", "Sender", "Feedback-ID",
    ]

    /// Fields whose addition after signing would change what the recipient sees or does.
    public static let defaultOversignedHeaders: Set<String> = [
        "from", "reply-to", "subject", "date", "to", "cc", "message-id", "mime-version", "content-type",
        "content-transfer-encoding", "list-unsubscribe", "list-unsubscribe-post", "sender", "in-reply-to",
        "references",
    ]

    public init(
        domain: String, selector: String, key: DKIMPrivateKey,
        canonicalization: DKIMCanonicalization = .relaxedRelaxed, headers: [String] = DKIMSigner.defaultHeaders,
        oversignedHeaders: Set<String> = DKIMSigner.defaultOversignedHeaders, expiration: Int64? = nil,
        identity: String? = nil
    ) {
        self.domain = domain
        self.selector = selector
        self.key = key
        self.canonicalization = canonicalization
        self.headers = headers
        self.oversignedHeaders = Set(oversignedHeaders.map(asciiLowercased))
        plan = Self.plan(headers: headers, oversigned: self.oversignedHeaders)
        self.expiration = expiration
        self.identity = identity
    }

    public var algorithm: DKIMAlgorithm { key.algorithm }

    /// The complete `DKIM-Signature: ...\r\n` field (folded, CRLF line ends) for `message`, signed at `time`
    /// (seconds since the Unix epoch, `t=`). Prepend it to the message unchanged.
    ///
    /// Throws `DKIMSigningError.noFrom` when the message has no From field (RFC 6376 §5.4: it MUST be signed).
    public func sign(message: ByteBuffer, time: Int64) throws(DKIMSigningError) -> String {
        let prepared = message.withUnsafeReadableBytes { bytes in
            let parsed = DKIMParsedMessage(bytes)
            let body = UnsafeRawBufferPointer(rebasing: bytes[parsed.bodyOffset...])
            return (parsed.fields, DKIMBodyCanonicalizer.hash(body: body, canonicalization.body).digest)
        }
        return try sign(fields: prepared.0, bodyHash: prepared.1, time: time)
    }

    func sign(fields: [DKIMHeaderField], bodyHash: [UInt8], time: Int64) throws(DKIMSigningError) -> String {
        guard fields.contains(where: { $0.lowercasedName == "from" }) else { throw .noFrom }
        let names = signedHeaderNames(for: fields)
        let builder = DKIMSignatureBuilder(
            algorithm: algorithm, canonicalization: canonicalization, domain: domain, selector: selector,
            timestamp: time, expiration: expiration.map { time + $0 }, identity: identity, signedHeaders: names,
            bodyHash: bodyHash)
        let unsigned = builder.unsignedField
        let signature = try Self.signature(
            unsignedField: unsigned, fields: fields, names: names, key: key,
            canonicalization: canonicalization.header)
        return unsigned + DKIMSignatureBuilder.foldedSignature(signature, after: unsigned)
    }

    /// Signs a prepared DKIM-Signature field whose `b=` is empty (RFC 6376 §3.7): the header hash covers the
    /// `names` fields of the message, then this field without its CRLF. Used by `sign` and to reproduce fixed
    /// test vectors such as RFC 8463 Appendix A.
    static func signature(
        unsignedField: String, fields: [DKIMHeaderField], names: [String], key: DKIMPrivateKey,
        canonicalization: DKIMCanonicalizationAlgorithm
    ) throws(DKIMSigningError) -> [UInt8] {
        let raw = Array(unsignedField.utf8)
        let colon = raw.firstIndex(of: UInt8(ascii: ":")) ?? 0
        let field = DKIMHeaderField(
            name: DKIMSignatureBuilder.fieldName, lowercasedName: "dkim-signature", raw: raw, valueStart: colon + 1)
        let data = DKIMHeaderHashInput.data(
            signedNames: names, fields: fields, signatureField: field, canonicalization: canonicalization)
        do {
            return try key.sign(headerData: data, algorithm: key.algorithm)
        } catch {
            throw .key(error)
        }
    }

    // RFC 6376 §5.4.2: each instance of a signed field is listed once (the verifier takes them bottom-up);
    // §8.15: an over-signed field is listed once more than it occurs — the extra names come last, as in RFC 8463
    // Appendix A — so that any further instance fails verification.
    func signedHeaderNames(for fields: [DKIMHeaderField]) -> [String] {
        var names: [String] = []
        var extra: [String] = []
        names.reserveCapacity(fields.count + plan.count)
        for (name, oversign) in plan {
            for field in fields where field.lowercasedName == name {
                names.append(name)
            }
            if oversign {
                extra.append(name)
            }
        }
        return names + extra
    }

    private static func plan(headers: [String], oversigned: Set<String>) -> [(name: String, oversign: Bool)] {
        let oversigned = Set(oversigned.map(asciiLowercased))
        var plan: [(name: String, oversign: Bool)] = []
        for header in headers {
            let name = asciiLowercased(header)
            if !plan.contains(where: { $0.name == name }) {
                plan.append((name, oversigned.contains(name)))
            }
        }
        return plan
    }
}

public enum DKIMSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// RFC 6376 §5.4: "The From header field MUST be signed".
    case noFrom
    case key(DKIMKeyError)

    public var description: String {
        switch self {
        case .noFrom: "the message has no From header field (RFC 6376 section 5.4)"
        case .key(let error): error.description
        }
    }
}
