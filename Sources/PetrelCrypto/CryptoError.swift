/// Failures of the libcrypto wrappers; the text names the operation only.
public enum CryptoError: Error, CustomStringConvertible {
    case random
    case kdf
    case keyGeneration
    case certificate

    public var description: String {
        switch self {
        case .random: "the system random generator failed"
        case .kdf: "password hashing failed"
        case .keyGeneration: "key generation failed"
        case .certificate: "certificate generation failed"
        }
    }
}
