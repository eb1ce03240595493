import COpenSSL
import Foundation

/// Password hashes for SMTP AUTH users, in the modular crypt style
/// `$pbkdf2-sha256$i=<iterations>$<salt base64>$<hash base64>`.
///
/// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) with a 16-octet random salt; the
/// default iteration count follows OWASP's 2023 guidance for PBKDF2-SHA256.
public enum PasswordHash {
    public static let defaultIterations = 210_000
    private static let prefix = "$pbkdf2-sha256$"

    /// Hashes `password` with a fresh random salt.
    public static func make(password: String, iterations: Int = defaultIterations) throws -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else { throw CryptoError.random }
        let derived = try derive(password: Array(password.utf8), salt: salt, iterations: iterations)
        return "\(prefix)i=\(iterations)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Whether `password` matches `hash`; false for a malformed hash.
    public static func verify(password: some Collection<UInt8>, against hash: String) -> Bool {
        guard let parsed = Parsed(hash) else { return false }
        guard let derived = try? derive(password: Array(password), salt: parsed.salt, iterations: parsed.iterations)
        else { return false }
        guard derived.count == parsed.hash.count else { return false }
        return derived.withUnsafeBytes { a in
            parsed.hash.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }

    /// Whether `hash` has the form `make` produces.
    public static func isWellFormed(_ hash: String) -> Bool { Parsed(hash) != nil }

    private struct Parsed {
        var iterations: Int
        var salt: [UInt8]
        var hash: [UInt8]

        init?(_ text: String) {
            guard text.hasPrefix(PasswordHash.prefix) else { return nil }
            let parts = text.dropFirst(PasswordHash.prefix.count).split(
                separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].hasPrefix("i="), let iterations = Int(parts[0].dropFirst(2)),
                iterations >= 1_000, iterations <= 10_000_000,
                let salt = Data(base64Encoded: String(parts[1])), salt.count >= 8,
                let hash = Data(base64Encoded: String(parts[2])), hash.count == 32
            else { return nil }
            self.iterations = iterations
            self.salt = Array(salt)
            self.hash = Array(hash)
        }
    }

    private static func derive(password: [UInt8], salt: [UInt8], iterations: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let ok = password.withUnsafeBufferPointer { pw in
            pw.withMemoryRebound(to: CChar.self) { pwc in
                PKCS5_PBKDF2_HMAC(
                    pwc.baseAddress, Int32(pw.count), salt, Int32(salt.count), Int32(iterations), EVP_sha256(),
                    Int32(out.count), &out)
            }
        }
        guard ok == 1 else { throw CryptoError.kdf }
        return out
    }
}
