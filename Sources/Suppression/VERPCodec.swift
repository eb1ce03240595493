import COpenSSL
import Foundation

/// Variable envelope return paths (VERP): each outgoing message's envelope sender names its queue id and,
/// for a one-recipient delivery, that recipient, under an HMAC, e.g.
/// `b+01JQ4M7X8Z9K2P3Qk7d3m1x9q2w8e4r6@bounce.example.org`. A bounce to that address maps back to the exact
/// delivery even when its body names no recipient. A token whose HMAC does not verify is not ours.
///
/// Token: the 16-character queue id, then 10 bytes in lower-case Crockford base32 (16 characters): a 4-byte
/// recipient tag (0: the whole message) and the first 6 bytes of HMAC-SHA256(key, queue id ‖ tag).
/// 34 characters of local part with the prefix, within RFC 5321 §4.5.3.1.1's 64, and immune to the case
/// changes some servers make to local parts.
public struct VERPCodec: Sendable {
    public let prefix: String
    public let domain: String
    private let key: [UInt8]

    public init(prefix: String = "b", domain: String, key: [UInt8]) {
        self.prefix = prefix.lowercased()
        self.domain = domain.lowercased()
        self.key = key
    }

    /// The envelope sender for a delivery of message `queueID` to `recipient` (nil: several recipients).
    public func address(queueID: String, recipient: String?) -> String {
        let tag = recipient.map(Self.tag(of:)) ?? 0
        var payload = [UInt8](repeating: 0, count: 10)
        withUnsafeBytes(of: tag.bigEndian) { payload.replaceSubrange(0..<4, with: $0) }
        payload.replaceSubrange(4..<10, with: mac(queueID: queueID.uppercased(), tag: tag))
        return "\(prefix)+\(queueID.lowercased())\(Self.base32(payload))@\(domain)"
    }

    /// The token in `address`, or nil when the address is not one of ours or its HMAC fails.
    public func decode(_ address: String) -> VERPToken? {
        guard let at = address.lastIndex(of: "@"), address[address.index(after: at)...].lowercased() == domain else {
            return nil
        }
        let local = address[..<at].lowercased()
        guard local.hasPrefix(prefix + "+") else { return nil }
        let token = Array(local.utf8.dropFirst(prefix.utf8.count + 1))
        guard token.count == 32, let payload = Self.decodeBase32(token[16...]) else { return nil }
        let queueID = String(decoding: token[..<16], as: UTF8.self).uppercased()
        let tag = payload[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let expected = mac(queueID: queueID, tag: tag)
        // Constant-time comparison.
        var difference: UInt8 = 0
        for (left, right) in zip(expected, payload[4..<10]) { difference |= left ^ right }
        guard difference == 0 else { return nil }
        return VERPToken(queueID: queueID, recipientTag: tag)
    }

    /// A recipient's 4-byte tag: the start of SHA-256 of its lower-case address, never 0.
    public static func tag(of recipient: String) -> UInt32 {
        let bytes = Array(recipient.lowercased().utf8)
        var digest = [UInt8](repeating: 0, count: 32)
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        let tag = digest[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return tag == 0 ? 1 : tag
    }

    private func mac(queueID: String, tag: UInt32) -> [UInt8] {
        var message = Array(queueID.utf8)
        withUnsafeBytes(of: tag.bigEndian) { message.append(contentsOf: $0) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { keyBytes in
            message.withUnsafeBufferPointer { input in
                digest.withUnsafeMutableBufferPointer { output in
                    _ = HMAC(
                        EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), input.baseAddress, input.count,
                        output.baseAddress, &length)
                }
            }
        }
        return Array(digest[0..<6])
    }

    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    static func base32(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)]) }
        return String(decoding: output, as: UTF8.self)
    }

    static func decodeBase32(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = buffer << 5 | UInt32(value)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xff))
                bits -= 8
            }
        }
        return output
    }

    /// A new random key for `[bounces] verp_key_file`.
    public static func generateKey() -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        _ = key.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, 32) }
        return key
    }
}

/// What a verified VERP address names.
public struct VERPToken: Sendable, Hashable {
    public var queueID: String
    /// The recipient's tag, or 0 when the delivery had several recipients.
    public var recipientTag: UInt32

    /// Whether `recipient` is the one this token names (always false for a whole-message token).
    public func names(_ recipient: String) -> Bool {
        recipientTag != 0 && VERPCodec.tag(of: recipient) == recipientTag
    }
}
