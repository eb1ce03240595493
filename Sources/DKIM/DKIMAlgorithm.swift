/// The `a=` tag of a DKIM-Signature (RFC 6376 §3.5, RFC 8463 §3).
public enum DKIMAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// RFC 6376 §3.3.2. Signing and verification.
    case rsaSHA256 = "rsa-sha256"
    /// RFC 8463 §3: PureEdDSA over the SHA-256 hash of the canonicalised header data.
    case ed25519SHA256 = "ed25519-sha256"
    /// RFC 6376 §3.3.1. Verification only, and only when the verifier is told to accept it: RFC 8301 §3.1
    /// says rsa-sha1 MUST NOT be used for signing or verifying.
    case rsaSHA1 = "rsa-sha1"

    /// The `k=` key type of the key record this algorithm needs (RFC 6376 §3.6.1, RFC 8463 §4).
    public var keyType: DKIMKeyType {
        switch self {
        case .rsaSHA256, .rsaSHA1: .rsa
        case .ed25519SHA256: .ed25519
        }
    }

    /// The hash name as it appears in a key record's `h=` list.
    public var hashName: String {
        switch self {
        case .rsaSHA256, .ed25519SHA256: "sha256"
        case .rsaSHA1: "sha1"
        }
    }
}

/// The `k=` tag of a key record (RFC 6376 §3.6.1; `ed25519` from RFC 8463 §4).
public enum DKIMKeyType: String, Sendable, Hashable {
    case rsa
    case ed25519
}
