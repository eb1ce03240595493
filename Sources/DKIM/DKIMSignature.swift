/// A parsed DKIM-Signature header field (RFC 6376 §3.5), as the verifier reads it.
public struct DKIMSignature: Sendable {
    /// `a=` as written (lower-cased), kept even when Petrel does not know the algorithm.
    public var algorithmName: String
    public var algorithm: DKIMAlgorithm?
    /// `b=`, decoded.
    public var signature: [UInt8]
    /// `b=` as written, without FWS (its first characters go into `header.b`, RFC 6008).
    public var signatureText: String
    /// `bh=`, decoded.
    public var bodyHash: [UInt8]
    public var canonicalization: DKIMCanonicalization
    /// `d=`, lower-cased.
    public var domain: String
    /// `h=`, lower-cased, in order, duplicates kept.
    public var signedHeaders: [String]
    /// `i=`; "@" + d= when absent (RFC 6376 §3.5).
    public var identity: String
    /// `l=`.
    public var bodyLength: Int?
    /// `s=`.
    public var selector: String
    /// `t=` and `x=`, seconds since the Unix epoch.
    public var timestamp: Int64?
    public var expiration: Int64?

    /// The field as written and where the `b=` value sits in `field.raw`.
    var field: DKIMHeaderField
    var signatureValueRange: Range<Int>

    /// Why a DKIM-Signature field cannot be used; these map to `neutral` (RFC 8601 §2.7.1: "the signature ...
    /// contained syntax errors or were not otherwise able to be processed").
    enum ParseError: Error, Equatable, CustomStringConvertible {
        case tagList(String)
        case missingTag(String)
        case badValue(tag: String)
        case unsupportedVersion(String)
        case unsupportedCanonicalization(String)
        case unsupportedQueryMethod(String)
        case fromNotSigned
        case identityNotInDomain
        case expiresBeforeTimestamp

        var description: String {
            switch self {
            case .tagList(let detail): "signature syntax error: \(detail)"
            case .missingTag(let tag): "signature lacks the required \(tag)= tag"
            case .badValue(let tag): "signature has an invalid \(tag)= value"
            case .unsupportedVersion(let version): "unsupported signature version v=\(version)"
            case .unsupportedCanonicalization(let value): "unsupported canonicalization c=\(value)"
            case .unsupportedQueryMethod(let value): "unsupported query method q=\(value)"
            case .fromNotSigned: "From is not in h="
            case .identityNotInDomain: "i= is not in the d= domain or a subdomain of it"
            case .expiresBeforeTimestamp: "x= is earlier than t="
            }
        }
    }

    init(field: DKIMHeaderField) throws(ParseError) {
        let tags: DKIMTagList
        do {
            tags = try DKIMTagList(parsing: Array(field.value))
        } catch {
            throw .tagList(error.description)
        }
        func required(_ name: String) throws(ParseError) -> DKIMTagList.Tag {
            guard let tag = tags.tag(name) else { throw .missingTag(name) }
            return tag
        }
        self.field = field
        // §3.5 v=: "MUST have the value "1"".
        let version = try required("v").value
        guard version == "1" else { throw .unsupportedVersion(version) }
        algorithmName = asciiLowercased(try required("a").value)
        algorithm = DKIMAlgorithm(rawValue: algorithmName)
        let signatureTag = try required("b")
        signatureText = DKIMTagList.withoutFWS(signatureTag.value)
        guard let decodedSignature = DKIMBase64.decode(signatureText), !decodedSignature.isEmpty else {
            throw .badValue(tag: "b")
        }
        signature = decodedSignature
        let offset = field.valueStart
        let valueRange = signatureTag.valueRange
        signatureValueRange = (valueRange.lowerBound + offset)..<(valueRange.upperBound + offset)
        guard let decodedBodyHash = DKIMBase64.decode(try required("bh").value), !decodedBodyHash.isEmpty else {
            throw .badValue(tag: "bh")
        }
        bodyHash = decodedBodyHash
        let canonicalizationText = tags["c"] ?? "simple/simple"
        guard let canonicalization = DKIMCanonicalization(tagValue: canonicalizationText) else {
            throw .unsupportedCanonicalization(canonicalizationText)
        }
        self.canonicalization = canonicalization
        domain = asciiLowercased(try required("d").value)
        guard !domain.isEmpty else { throw .badValue(tag: "d") }
        signedHeaders = DKIMTagList.withoutFWS(try required("h").value).split(separator: ":").map {
            asciiLowercased(String($0))
        }
        // §5.4: "The From header field MUST be signed"; §6.1.1: a verifier MUST reject a signature without it.
        guard signedHeaders.contains("from") else { throw .fromNotSigned }
        selector = try required("s").value
        guard !selector.isEmpty else { throw .badValue(tag: "s") }
        identity = tags["i"] ?? "@" + domain
        // §6.1.1: "the domain part of the i= tag is not the same as, or a subdomain of, the d= tag value" → PERMFAIL.
        guard let at = identity.lastIndex(of: "@"),
            DKIMDomain.isSameOrSubdomain(asciiLowercased(String(identity[identity.index(after: at)...])), of: domain)
        else { throw .identityNotInDomain }
        if let length = tags["l"] {
            guard let value = Int(length), value >= 0, length.count <= 76 else { throw .badValue(tag: "l") }
            bodyLength = value
        }
        // §3.5 q=: "dns/txt" is the only method defined; others are ignored if dns/txt is among them.
        if let methods = tags["q"] {
            let names = DKIMTagList.withoutFWS(methods).split(separator: ":").map { asciiLowercased(String($0)) }
            guard names.contains(where: { $0 == "dns/txt" || $0 == "dns" }) else {
                throw .unsupportedQueryMethod(methods)
            }
        }
        if let value = tags["t"] {
            guard let parsed = Int64(value), parsed >= 0 else { throw .badValue(tag: "t") }
            timestamp = parsed
        }
        if let value = tags["x"] {
            guard let parsed = Int64(value), parsed >= 0 else { throw .badValue(tag: "x") }
            expiration = parsed
        }
        // §3.5 x=: "the value of the "x=" tag MUST be greater than the value of the "t=" tag if both are present".
        if let timestamp, let expiration, expiration < timestamp {
            throw .expiresBeforeTimestamp
        }
    }

    /// The identity's domain (after the "@").
    public var identityDomain: String {
        guard let at = identity.lastIndex(of: "@") else { return domain }
        return asciiLowercased(String(identity[identity.index(after: at)...]))
    }

    /// The field with the `b=` value removed, as it enters the header hash (RFC 6376 §3.7: "the value of the
    /// "b=" tag (including all surrounding whitespace) is deleted (i.e., treated as the empty string)").
    var fieldWithoutSignature: DKIMHeaderField {
        var stripped = field
        stripped.raw.removeSubrange(signatureValueRange)
        return stripped
    }
}

/// Domain name comparisons for DKIM (ASCII, case-insensitive, no trailing dot).
enum DKIMDomain {
    static func isSameOrSubdomain(_ candidate: String, of domain: String) -> Bool {
        let candidate = normalized(candidate)
        let domain = normalized(domain)
        return candidate == domain || candidate.hasSuffix("." + domain)
    }

    static func normalized(_ domain: String) -> String {
        var lowered = asciiLowercased(domain)
        while lowered.hasSuffix(".") { lowered.removeLast() }
        return lowered
    }
}
