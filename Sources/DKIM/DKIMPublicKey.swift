import COpenSSL

/// A verification key decoded from a key record's `p=` (RFC 6376 §3.6.1, RFC 8463 §4).
///
/// `@unchecked Sendable` for the same reason as `DKIMPrivateKey`: immutable after creation, and each
/// verification uses its own `EVP_MD_CTX`.
public final class DKIMPublicKey: @unchecked Sendable {
    let key: OpaquePointer
    public let keyType: DKIMKeyType
    public let bits: Int
    /// The `p=` octets this key was decoded from.
    public let data: [UInt8]

    // RFC 6376 §3.6.1: for k=rsa, p= is "an ASN.1 DER-encoded [ITU-X660-1997] RSAPublicKey" wrapped, in practice,
    // in a SubjectPublicKeyInfo; a bare PKCS#1 RSAPublicKey is accepted as well (RFC 6376 §3.6.1 reads either
    // way and some publishers use it). RFC 8463 §4: for k=ed25519, p= is the raw 32-octet public key.
    public init(keyType: DKIMKeyType, data: [UInt8]) throws(DKIMKeyError) {
        self.keyType = keyType
        self.data = data
        switch keyType {
        case .rsa:
            var parsed: OpaquePointer? = data.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_PUBKEY(nil, &cursor, buffer.count)
            }
            if parsed == nil {
                ERR_clear_error()
                parsed = data.withUnsafeBufferPointer { buffer in
                    var cursor = buffer.baseAddress
                    return d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count)
                }
            }
            guard let parsed else { throw .malformedPublicKey("p= is not a DER RSA public key") }
            guard EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA else {
                EVP_PKEY_free(parsed)
                throw .malformedPublicKey("k=rsa but p= holds another key type")
            }
            key = parsed
        case .ed25519:
            guard data.count == 32, let parsed = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, data, 32) else {
                throw .malformedPublicKey("an Ed25519 p= is 32 octets, not \(data.count)")
            }
            key = parsed
        }
        bits = Int(EVP_PKEY_get_bits(key))
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Verifies `signature` over the canonicalised header data (RFC 6376 §3.7; RFC 8463 §3 for Ed25519, where
    /// PureEdDSA covers the SHA-256 digest of that data).
    func verify(signature: [UInt8], headerData: [UInt8], algorithm: DKIMAlgorithm) -> Bool {
        guard algorithm.keyType == keyType, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let (message, method) = algorithm.signatureInput(headerData: headerData)
        guard EVP_DigestVerifyInit(context, nil, method, nil, key) == 1 else {
            ERR_clear_error()
            return false
        }
        let result = EVP_DigestVerify(context, signature, signature.count, message, message.count)
        ERR_clear_error()
        return result == 1
    }

    /// Whether this key and `other` are the same public key.
    public func matches(_ other: DKIMPrivateKey) -> Bool {
        EVP_PKEY_eq(key, other.key) == 1
    }
}
