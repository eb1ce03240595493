import COpenSSL

/// The three libcrypto primitives webhooks need, wrapped so that no other file touches C pointers.
enum LibCrypto {
    /// HMAC-SHA256 (RFC 2104 with FIPS 180-4 SHA-256) through libcrypto's one-shot `HMAC`; nil only when
    /// libcrypto fails internally (allocation).
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // RFC 2104 §2 pads a short key with zeros, so the empty key equals one zero byte; passing that
        // byte avoids handing libcrypto a NULL key pointer, which some versions reject.
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBufferPointer { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                digest.withUnsafeMutableBufferPointer { digestBuffer in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, Int32(keyBuffer.count), messageBuffer.baseAddress,
                        messageBuffer.count, digestBuffer.baseAddress, &length)
                }
            }
        }
        guard result != nil, length == 32 else { return nil }
        return Array(digest.prefix(Int(length)))
    }

    /// `count` bytes from libcrypto's CSPRNG (`RAND_bytes`, seeded from the operating system).
    static func randomBytes(_ count: Int) throws(WebhookCryptoError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else { throw WebhookCryptoError(function: "RAND_bytes") }
        return bytes
    }

    /// Compares without an early exit (`CRYPTO_memcmp`), so the time taken does not tell an attacker how
    /// many leading bytes of a forged signature were right.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
