import COpenSSL

/// A signing key: RSA (1024–4096 bits) or Ed25519, held as a libcrypto `EVP_PKEY`.
///
/// `@unchecked Sendable`: the key is never mutated after creation, and OpenSSL 3 allows one `EVP_PKEY` to be
/// used by several threads at once as long as each signature gets its own `EVP_MD_CTX` (which `sign` does: a
/// copy of a context prepared once, see `DKIMSigningContext`).
public final class DKIMPrivateKey: @unchecked Sendable {
    let key: OpaquePointer
    public let keyType: DKIMKeyType
    /// Modulus size for RSA, 256 for Ed25519.
    public let bits: Int
    /// The largest signature the key makes, in octets.
    let signatureSize: Int
    /// Set up once for `algorithm`, the only one `sign` accepts for this key; nil if libcrypto would not (each
    /// signature then sets up its own).
    private let signingContext: DKIMSigningContext?

    private init(taking key: OpaquePointer) throws(DKIMKeyError) {
        self.key = key
        let bits = Int(EVP_PKEY_get_bits(key))
        self.bits = bits
        signatureSize = Int(EVP_PKEY_get_size(key))
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA:
            keyType = .rsa
            guard (1024...4096).contains(bits) else {
                EVP_PKEY_free(key)
                throw .unsupportedKeySize(bits)
            }
        case EVP_PKEY_ED25519:
            keyType = .ed25519
        default:
            let name = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "unknown"
            EVP_PKEY_free(key)
            throw .unsupportedKeyType(name)
        }
        let algorithm: DKIMAlgorithm = keyType == .rsa ? .rsaSHA256 : .ed25519SHA256
        signingContext = DKIMSigningContext(key: key, method: algorithm.signatureMethod)
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Reads a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`, RSA or Ed25519) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    public convenience init(pem: String) throws(DKIMKeyError) {
        let bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { throw .unreadablePrivateKey(libcryptoErrorText()) }
        try self.init(taking: key)
    }

    /// An Ed25519 key from its 32-byte private seed (RFC 8032 §5.1.5), as RFC 8463 Appendix A gives it.
    public convenience init(ed25519Seed seed: [UInt8]) throws(DKIMKeyError) {
        guard seed.count == 32 else { throw .unreadablePrivateKey("an Ed25519 seed is 32 octets, not \(seed.count)") }
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, seed, seed.count) else {
            throw .unreadablePrivateKey(libcryptoErrorText())
        }
        try self.init(taking: key)
    }

    /// A new RSA key of `bits` bits (1024–4096; RFC 8301 §3.2, 2048 is Petrel's default).
    public static func generateRSA(bits: Int = 2048) throws(DKIMKeyError) -> DKIMPrivateKey {
        guard (1024...4096).contains(bits) else { throw .unsupportedKeySize(bits) }
        guard let key = petrel_rsa_keygen(UInt32(bits)) else { throw .generationFailed(libcryptoErrorText()) }
        return try DKIMPrivateKey(taking: key)
    }

    /// A new Ed25519 key (RFC 8463 §3).
    public static func generateEd25519() throws(DKIMKeyError) -> DKIMPrivateKey {
        guard let key = petrel_ed25519_keygen() else { throw .generationFailed(libcryptoErrorText()) }
        return try DKIMPrivateKey(taking: key)
    }

    /// The signing algorithm this key implies: `rsa-sha256` or `ed25519-sha256`.
    public var algorithm: DKIMAlgorithm {
        keyType == .rsa ? .rsaSHA256 : .ed25519SHA256
    }

    /// PKCS#8 PEM text of the private key (`BEGIN PRIVATE KEY`).
    public var pem: String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1 else { return "" }
        var data: UnsafeMutablePointer<CChar>?
        let length = petrel_bio_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// The public key as a key record's `p=` carries it (RFC 6376 §3.6.1): DER SubjectPublicKeyInfo for RSA,
    /// the raw 32-octet key for Ed25519 (RFC 8463 §4).
    public var publicKeyData: [UInt8] {
        switch keyType {
        case .rsa:
            let length = i2d_PUBKEY(key, nil)
            guard length > 0 else { return [] }
            var der = [UInt8](repeating: 0, count: Int(length))
            der.withUnsafeMutableBufferPointer { buffer in
                var cursor = buffer.baseAddress
                _ = i2d_PUBKEY(key, &cursor)
            }
            return der
        case .ed25519:
            var raw = [UInt8](repeating: 0, count: 32)
            var length = 32
            guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1 else { return [] }
            return Array(raw.prefix(length))
        }
    }

    /// The public half, for checks and round-trip tests.
    public var publicKey: DKIMPublicKey {
        // The DER / raw data was produced by libcrypto from this very key, so it always parses back.
        try! DKIMPublicKey(keyType: keyType, data: publicKeyData)
    }

    /// Signs the canonicalised header data (RFC 6376 §3.7) with `algorithm`; for Ed25519 the data is first
    /// hashed with SHA-256 and the digest is what PureEdDSA signs (RFC 8463 §3).
    func sign(headerData: [UInt8], algorithm: DKIMAlgorithm) throws(DKIMKeyError) -> [UInt8] {
        guard algorithm.keyType == keyType else {
            throw .signingFailed("a \(keyType.rawValue) key cannot sign \(algorithm.rawValue)")
        }
        guard algorithm != .rsaSHA1 else {
            throw .signingFailed("rsa-sha1 must not be used for signing (RFC 8301 §3.1)")
        }
        let (message, method) = algorithm.signatureInput(headerData: headerData)
        let context: OpaquePointer
        if let copy = signingContext?.makeContext() {
            context = copy
        } else {
            guard let fresh = EVP_MD_CTX_new() else { throw .signingFailed("out of memory") }
            guard EVP_DigestSignInit(fresh, nil, method, nil, key) == 1 else {
                EVP_MD_CTX_free(fresh)
                throw .signingFailed(libcryptoErrorText())
            }
            context = fresh
        }
        defer { EVP_MD_CTX_free(context) }
        var length = signatureSize
        var signature = [UInt8](filledWith: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw .signingFailed(libcryptoErrorText())
        }
        signature.removeSubrange(length...)
        return signature
    }
}
