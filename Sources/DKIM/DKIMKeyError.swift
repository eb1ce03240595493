import COpenSSL

/// Problems with a private key (loading, generating) or with a published public key.
public enum DKIMKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The PEM text did not hold a private key libcrypto could read.
    case unreadablePrivateKey(String)
    /// A key of a type DKIM cannot use (RFC 6376 §3.3, RFC 8463 §3: RSA or Ed25519 only).
    case unsupportedKeyType(String)
    /// RSA modulus outside what Petrel signs with (RFC 8301 §3.2: at least 1024 bits; 4096 at most here).
    case unsupportedKeySize(Int)
    /// The `p=` data did not decode to a key of the record's `k=` type.
    case malformedPublicKey(String)
    case generationFailed(String)
    case signingFailed(String)

    public var description: String {
        switch self {
        case .unreadablePrivateKey(let detail): "unreadable private key: \(detail)"
        case .unsupportedKeyType(let type): "unsupported key type: \(type) (DKIM uses RSA or Ed25519)"
        case .unsupportedKeySize(let bits): "unsupported RSA key size: \(bits) bits (1024 to 4096)"
        case .malformedPublicKey(let detail): "malformed public key: \(detail)"
        case .generationFailed(let detail): "key generation failed: \(detail)"
        case .signingFailed(let detail): "signing failed: \(detail)"
        }
    }
}

/// The text of libcrypto's most recent error on this thread, cleared afterwards.
func libcryptoErrorText() -> String {
    let code = ERR_get_error()
    ERR_clear_error()
    guard code != 0 else { return "no libcrypto detail" }
    var buffer = [CChar](repeating: 0, count: 256)
    ERR_error_string_n(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
