import COpenSSL
import Foundation

/// HMAC-SHA256 (RFC 2104 §2) with the keyed inner and outer SHA-256 states computed once: each MAC copies
/// them and hashes only the message and the inner digest. libcrypto's one-shot `HMAC()` sets up and fetches
/// the digest on every call, several times slower for the short messages of tracking tokens.
///
/// `@unchecked Sendable`: the two digest contexts are written only in `init`; afterwards they are only
/// read, as the source of `EVP_MD_CTX_copy_ex`, which does not modify it.
final class HMACSHA256Key: @unchecked Sendable {
    private let inner: OpaquePointer
    private let outer: OpaquePointer
    private let digest: OpaquePointer

    init(_ key: [UInt8]) {
        guard let digest = EVP_MD_fetch(nil, "SHA256", nil), let inner = EVP_MD_CTX_new(), let outer = EVP_MD_CTX_new()
        else { fatalError("libcrypto has no SHA-256") }
        self.digest = digest
        self.inner = inner
        self.outer = outer
        // RFC 2104 §2: keys longer than the 64-byte block are hashed first; then zero-padded to a block.
        var block = key.count > 64 ? Self.sha256(key, digest: digest) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5C }
        guard EVP_DigestInit_ex2(inner, digest, nil) == 1, EVP_DigestUpdate(inner, innerPad, 64) == 1,
            EVP_DigestInit_ex2(outer, digest, nil) == 1, EVP_DigestUpdate(outer, outerPad, 64) == 1
        else { fatalError("SHA-256 initialisation failed") }
    }

    deinit {
        EVP_MD_CTX_free(inner)
        EVP_MD_CTX_free(outer)
        EVP_MD_free(digest)
    }

    /// The 32-byte HMAC of `message`.
    func mac(_ message: some ContiguousBytes) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { output, initialized in
            message.withUnsafeBytes { mac($0, into: output.baseAddress!) }
            initialized = 32
        }
    }

    /// Writes the 32-byte HMAC of `message` to `output`.
    func mac(_ message: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) {
        guard let work = EVP_MD_CTX_new() else { fatalError("out of memory") }
        defer { EVP_MD_CTX_free(work) }
        var length: UInt32 = 0
        let ok =
            EVP_MD_CTX_copy_ex(work, inner) == 1 && EVP_DigestUpdate(work, message.baseAddress, message.count) == 1
            && EVP_DigestFinal_ex(work, output, &length) == 1
            && EVP_MD_CTX_copy_ex(work, outer) == 1 && EVP_DigestUpdate(work, output, 32) == 1
            && EVP_DigestFinal_ex(work, output, &length) == 1
        precondition(ok && length == 32, "HMAC-SHA256 failed")
    }

    private static func sha256(_ bytes: [UInt8], digest: OpaquePointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = EVP_Digest(bytes, bytes.count, &output, &length, digest, nil)
        return output
    }
}
