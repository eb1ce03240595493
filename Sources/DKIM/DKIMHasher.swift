import COpenSSL

/// A streaming message digest over libcrypto's EVP interface: SHA-256 for `rsa-sha256` and `ed25519-sha256`,
/// SHA-1 for verifying legacy `rsa-sha1` (RFC 6376 §3.3).
struct DKIMHasher: ~Copyable {
    enum Function {
        case sha256
        case sha1
    }

    // Fetched once: an implicit fetch on every EVP_DigestInit_ex costs a lock and a table lookup (OpenSSL 3
    // provider model). Fetched EVP_MD objects are immutable and safe to share between threads.
    nonisolated(unsafe) private static let sha256Method: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
    nonisolated(unsafe) private static let sha1Method: OpaquePointer? = EVP_MD_fetch(nil, "SHA1", nil)

    static func method(_ function: Function) -> OpaquePointer? {
        switch function {
        case .sha256: sha256Method
        case .sha1: sha1Method
        }
    }

    private let context: OpaquePointer

    init(_ function: Function) {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, Self.method(function), nil) == 1 else {
            fatalError("libcrypto could not initialise a digest context")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Finalises the digest; call once.
    mutating func finish() -> [UInt8] {
        var digest = [UInt8](filledWith: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        digest.withUnsafeMutableBufferPointer { buffer in
            _ = EVP_DigestFinal_ex(context, buffer.baseAddress, &length)
        }
        digest.removeSubrange(Int(length)...)
        return digest
    }

    static func digest(_ function: Function, of bytes: [UInt8]) -> [UInt8] {
        var hasher = DKIMHasher(function)
        hasher.update(bytes)
        return hasher.finish()
    }
}

extension DKIMAlgorithm {
    /// What EVP_DigestSign/EVP_DigestVerify take for this algorithm: RSA hashes the canonicalised header data
    /// itself (RFC 6376 §3.7); Ed25519 (PureEdDSA, no digest method) signs the SHA-256 digest of it
    /// (RFC 8463 §3).
    func signatureInput(headerData: [UInt8]) -> (message: [UInt8], method: OpaquePointer?) {
        switch self {
        case .ed25519SHA256: (DKIMHasher.digest(.sha256, of: headerData), signatureMethod)
        case .rsaSHA256, .rsaSHA1: (headerData, signatureMethod)
        }
    }

    /// The digest method a signing or verifying context is set up with (nil: none, for Ed25519).
    var signatureMethod: OpaquePointer? {
        switch self {
        case .ed25519SHA256: nil
        case .rsaSHA256: DKIMHasher.method(.sha256)
        case .rsaSHA1: DKIMHasher.method(.sha1)
        }
    }
}
