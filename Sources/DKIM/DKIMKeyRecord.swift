/// A DKIM key record: the TXT record at `selector._domainkey.domain` (RFC 6376 §3.6.1; `k=ed25519` from
/// RFC 8463 §4).
public struct DKIMKeyRecord: Sendable {
    public var keyType: DKIMKeyType
    /// `h=`: acceptable hash algorithms, lower-cased; nil when absent (all allowed).
    public var hashAlgorithms: [String]?
    /// `s=`: service types, lower-cased; `["*"]` when absent.
    public var serviceTypes: [String]
    /// `t=y`: "This domain is testing DKIM" — results are reported, but should not be acted on differently.
    public var testing: Bool
    /// `t=s`: the `i=` domain must equal `d=`; subdomains are not allowed.
    public var strictIdentity: Bool
    /// `n=`.
    public var notes: String?
    /// The decoded key; nil when `p=` is empty, which means the key was revoked.
    public var publicKey: DKIMPublicKey?

    public var isRevoked: Bool { publicKey == nil }

    /// Why a TXT record is not a usable key record; these map to `permerror`.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case tagList(String)
        /// "Records beginning with a "v=" tag with any other value MUST be discarded." (§3.6.1)
        case badVersion(String)
        /// v= present but not first: "This tag MUST be the first tag in the record."
        case versionNotFirst
        case unknownKeyType(String)
        case missingPublicKey
        case badBase64
        case badKey(String)

        public var description: String {
            switch self {
            case .tagList(let detail): "key record syntax error: \(detail)"
            case .badVersion(let version): "key record has v=\(version), not DKIM1"
            case .versionNotFirst: "key record has v= after other tags"
            case .unknownKeyType(let type): "key record has unknown key type k=\(type)"
            case .missingPublicKey: "key record lacks p="
            case .badBase64: "key record p= is not valid base64"
            case .badKey(let detail): "key record p= is not a usable key: \(detail)"
            }
        }
    }

    /// Parses the record text (the TXT strings already concatenated, RFC 6376 §3.6.2.2).
    public init(parsing text: String) throws(ParseError) {
        let tags: DKIMTagList
        do {
            tags = try DKIMTagList(parsing: text)
        } catch {
            throw .tagList(error.description)
        }
        if let version = tags.tag("v") {
            guard version.value == "DKIM1" else { throw .badVersion(version.value) }
            guard tags.tags.first?.name == "v" else { throw .versionNotFirst }
        }
        let keyTypeName = asciiLowercased(tags["k"] ?? "rsa")
        guard let keyType = DKIMKeyType(rawValue: keyTypeName) else { throw .unknownKeyType(keyTypeName) }
        self.keyType = keyType
        hashAlgorithms = tags["h"].map(Self.colonList)
        serviceTypes = tags["s"].map(Self.colonList) ?? ["*"]
        let flags = tags["t"].map(Self.colonList) ?? []
        testing = flags.contains("y")
        strictIdentity = flags.contains("s")
        notes = tags["n"]
        guard let keyText = tags["p"] else { throw .missingPublicKey }
        guard let keyData = DKIMBase64.decode(keyText) else { throw .badBase64 }
        if keyData.isEmpty {
            // §3.6.1 p=: "An empty value means that this public key has been revoked."
            publicKey = nil
        } else {
            do {
                publicKey = try DKIMPublicKey(keyType: keyType, data: keyData)
            } catch {
                throw .badKey(error.description)
            }
        }
    }

    /// Whether `s=` allows email ("email" or "*").
    public var allowsEmail: Bool {
        serviceTypes.contains("*") || serviceTypes.contains("email")
    }

    /// Whether `h=` allows `algorithm`'s hash.
    public func allows(_ algorithm: DKIMAlgorithm) -> Bool {
        hashAlgorithms?.contains(algorithm.hashName) ?? true
    }

    private static func colonList(_ value: String) -> [String] {
        DKIMTagList.withoutFWS(value).split(separator: ":").map { asciiLowercased(String($0)) }
    }
}
