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
        didSet { plan = DKIMHeaderPlan(headers: headers, oversigned: oversignedHeaders) }
    }
    /// Fields signed once more than they occur (RFC 6376 §8.15 "over-signing"): a field of that name added in
    /// transit, or a first one added where there was none, breaks the signature. Lower-case.
    public var oversignedHeaders: Set<String> {
        didSet { plan = DKIMHeaderPlan(headers: headers, oversigned: oversignedHeaders) }
    }
    /// `headers` lower-cased and without repeats, each with its over-signing flag: computed once, not per message.
    private var plan: DKIMHeaderPlan
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
        plan = DKIMHeaderPlan(headers: headers, oversigned: self.oversignedHeaders)
        self.expiration = expiration
        self.identity = identity
    }

    public var algorithm: DKIMAlgorithm { key.algorithm }

    /// The complete `DKIM-Signature: ...\r\n` field (folded, CRLF line ends) for `message`, signed at `time`
    /// (seconds since the Unix epoch, `t=`). Prepend it to the message unchanged.
    ///
    /// Throws `DKIMSigningError.noFrom` when the message has no From field (RFC 6376 §5.4: it MUST be signed).
    public func sign(message: ByteBuffer, time: Int64) throws(DKIMSigningError) -> String {
        let field = message.withUnsafeReadableBytes { bytes -> Result<String, DKIMSigningError> in
            let section = DKIMHeaderSection(bytes)
            let body = UnsafeRawBufferPointer(rebasing: bytes[section.bodyOffset...])
            let bodyHash = DKIMBodyCanonicalizer.hash(body: body, canonicalization.body).digest
            guard section.hasBareLineFeed else {
                return signatureField(header: bytes, section, bodyHash: bodyHash, time: time)
            }
            // Fields are canonicalised in place; with bare LFs in the header, in a copy with CRLF line ends.
            let header = DKIMHeaderSection.normalizedHeader(bytes, bodyOffset: section.bodyOffset)
            return header.withUnsafeBytes { header in
                signatureField(header: header, DKIMHeaderSection(header), bodyHash: bodyHash, time: time)
            }
        }
        return try field.get()
    }

    /// The field for a message whose header is `header` (parsed as `section`) and whose body hash is `bodyHash`.
    /// It is written straight into the String's storage, and the header hash input is taken from there.
    private func signatureField(
        header: UnsafeRawBufferPointer, _ section: DKIMHeaderSection, bodyHash: [UInt8], time: Int64
    ) -> Result<String, DKIMSigningError> {
        let from: StaticString = "from"
        guard
            section.fields.contains(where: {
                DKIMHeaderPlan.name(of: $0, in: header, is: from.bytes)
            })
        else { return .failure(.noFrom) }
        let (selected, counts) = plan.select(section, in: header)
        let builder = DKIMSignatureBuilder(
            algorithm: algorithm, canonicalization: canonicalization, domain: domain, selector: selector,
            timestamp: time, expiration: expiration.map { time + $0 }, identity: identity,
            headerNames: plan.names, signedHeaders: plan.signedNames(counts: counts), bodyHash: bodyHash)
        var failure: DKIMKeyError?
        let capacity = builder.unsignedFieldCapacity + DKIMSignatureBuilder.signatureCapacity(key.signatureSize)
        let field = String(unsafeUninitializedCapacity: capacity) { buffer in
            var folder = DKIMFolder(UnsafeMutableRawBufferPointer(buffer), start: "DKIM-Signature:")
            builder.writeUnsignedField(to: &folder)
            let unsigned = UnsafeRawBufferPointer(start: buffer.baseAddress, count: folder.count)
            let data = headerHashInput(header: header, selected, signatureField: unsigned)
            do throws(DKIMKeyError) {
                DKIMSignatureBuilder.writeSignature(
                    try key.sign(headerData: data, algorithm: key.algorithm), to: &folder)
                return folder.count
            } catch {
                failure = error
                return 0
            }
        }
        if let failure {
            return .failure(.key(failure))
        }
        return .success(field)
    }

    /// RFC 6376 §3.7: the selected fields, canonicalised, then the DKIM-Signature field with an empty `b=`
    /// (`signatureField`), canonicalised, without its CRLF.
    private func headerHashInput(
        header: UnsafeRawBufferPointer, _ selected: [(field: DKIMHeaderSection.Field, entry: Int)],
        signatureField: UnsafeRawBufferPointer
    ) -> [UInt8] {
        let signatureName: StaticString = "dkim-signature"
        let capacity = selected.reduce(signatureField.count + signatureName.utf8CodeUnitCount + 3) {
            $0 + ($1.field.end - $1.field.start) + plan.entries[$1.entry].range.count + 3
        }
        return [UInt8](unsafeUninitializedCapacity: capacity) { output, count in
            let base = UnsafeMutableRawPointer(output.baseAddress!)
            plan.names.withUnsafeBytes { names in
                for (field, entry) in selected {
                    count += DKIMHeaderCanonicalizer.write(
                        raw: UnsafeRawBufferPointer(rebasing: header[field.start..<field.end]),
                        lowercasedName: UnsafeRawBufferPointer(rebasing: names[plan.entries[entry].range]),
                        valueStart: field.valueStart - field.start, canonicalization.header, to: base + count)
                }
            }
            count += DKIMHeaderCanonicalizer.write(
                raw: signatureField, lowercasedName: signatureName.bytes,
                valueStart: DKIMSignatureBuilder.fieldName.utf8.count + 1, canonicalization.header, terminate: false,
                to: base + count)
        }
    }

    /// Signs a prepared DKIM-Signature field whose `b=` is empty (RFC 6376 §3.7): the header hash covers the
    /// `names` fields of the message, then this field without its CRLF. Used to reproduce fixed test vectors
    /// such as RFC 8463 Appendix A.
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

    /// The `h=` list for a message with these fields (see `DKIMHeaderPlan.signedNames`).
    func signedHeaderNames(for fields: [DKIMHeaderField]) -> [String] {
        let counts = plan.entries.indices.map { entry in
            fields.count(where: { $0.lowercasedName == plan.name(entry) })
        }
        return plan.signedNames(counts: counts).map { String(decoding: plan.names[$0], as: UTF8.self) }
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
