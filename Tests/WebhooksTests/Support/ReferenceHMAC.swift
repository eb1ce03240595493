import COpenSSL

/// HMAC-SHA256 built from the definition in RFC 2104 §2 over libcrypto's plain SHA-256, so that the tests
/// check the module's one-shot `HMAC` call against an independent computation:
/// H(K XOR opad, H(K XOR ipad, text)) with a 64-byte block.
enum ReferenceHMAC {
    static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? digest(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = digest(block.map { $0 ^ 0x36 } + message)
        return digest(block.map { $0 ^ 0x5C } + inner)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    private static func digest(_ data: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var size: UInt32 = 0
        let status = data.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &output, &size, EVP_sha256(), nil)
        }
        precondition(status == 1 && size == 32, "EVP_Digest failed")
        return output
    }
}
