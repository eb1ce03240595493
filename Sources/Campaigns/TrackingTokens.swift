import COpenSSL
import Foundation

/// Signs and checks the tokens in tracking, unsubscribe, preference and confirmation URLs. A token is
/// checked with the key alone, without a database lookup.
///
/// Token: base64url without padding (RFC 4648 §5) of `body ‖ tag`, where `body` is the kind byte, the
/// campaign and contact ids as LEB128 varints (of the ids' 64-bit patterns), then for a click the link
/// index (varint) and the URL's UTF-8 bytes, for a confirmation the issue time in seconds (varint); `tag`
/// is HMAC-SHA256 (RFC 2104) over `body`, truncated to its first 16 bytes (RFC 2104 §5 allows truncation to
/// no less than half the hash). The HMAC key is derived from the configured key for this use only,
/// so the same secret can serve VERP without one token being valid as the other.
/// An open token for ids below 2^14 and 2^21 is 28 characters.
public struct TrackingTokens: Sendable {
    /// Bytes of HMAC kept in a token.
    static let tagLength = 16
    /// How long a confirmation link stays valid unless the caller says otherwise: a week.
    public static let defaultConfirmMaxAge: TimeInterval = 7 * 86_400
    /// How far in the future an issue time may be (clock skew between instances).
    static let allowedSkew: TimeInterval = 300

    private let key: HMACSHA256Key

    public init(key: [UInt8]) {
        precondition(!key.isEmpty, "tracking key must not be empty")
        self.key = HMACSHA256Key(HMACSHA256Key(key).mac(Array("petrel tracking token v1".utf8)))
    }

    /// The token for `token`.
    public func make(_ token: TrackingToken) -> String {
        var output: [UInt8] = []
        append(token, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the token for `token` to `output` (ASCII). Builds the body and tag on the stack: this runs
    /// for every link of every campaign message.
    func append(_ token: TrackingToken, to output: inout [UInt8]) {
        var url = token.kind == .click ? token.url : ""
        url.withUTF8 { url in
            // Kind, up to three 10-byte varints, the URL, then room for the whole 32-byte MAC.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 31 + url.count + 32) { buffer in
                guard let base = buffer.baseAddress else { return }
                base[0] = token.kind.rawValue
                var count = 1
                count += Self.writeVarint(UInt64(bitPattern: token.campaignID), to: base + count)
                count += Self.writeVarint(UInt64(bitPattern: token.contactID), to: base + count)
                switch token.kind {
                case .click:
                    count += Self.writeVarint(UInt64(token.linkIndex), to: base + count)
                    if let source = url.baseAddress { (base + count).update(from: source, count: url.count) }
                    count += url.count
                case .confirm:
                    let seconds = token.issuedAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0
                    count += Self.writeVarint(UInt64(bitPattern: seconds), to: base + count)
                case .open, .unsubscribe, .preferences:
                    break
                }
                key.mac(UnsafeRawBufferPointer(start: base, count: count), into: base + count)
                Base64URL.encode(UnsafeBufferPointer(start: base, count: count + Self.tagLength), into: &output)
            }
        }
    }

    /// What `token` says, or nil when it is not one of ours: bad base64url, truncated, altered (the HMAC is
    /// compared in constant time), an unknown kind, trailing bytes, or a confirmation older than
    /// `confirmMaxAge` at `now`.
    public func decode(
        _ token: String, now: Date = Date(), confirmMaxAge: TimeInterval = defaultConfirmMaxAge
    ) -> TrackingToken? {
        guard token.utf8.count <= 16_384, let bytes = Base64URL.decode(token.utf8),
            bytes.count >= 3 + Self.tagLength
        else { return nil }
        let body = bytes[..<(bytes.count - Self.tagLength)]
        let expected = key.mac(body)
        var difference: UInt8 = 0
        for (left, right) in zip(expected.prefix(Self.tagLength), bytes[body.endIndex...]) {
            difference |= left ^ right
        }
        guard difference == 0 else { return nil }
        return Self.parse(body, now: now, confirmMaxAge: confirmMaxAge)
    }

    /// ``decode(_:now:confirmMaxAge:)``, and nil unless the token is of `kind`.
    public func decode(
        _ token: String, as kind: TrackingKind, now: Date = Date(), confirmMaxAge: TimeInterval = defaultConfirmMaxAge
    ) -> TrackingToken? {
        guard let decoded = decode(token, now: now, confirmMaxAge: confirmMaxAge), decoded.kind == kind else {
            return nil
        }
        return decoded
    }

    /// A new random 32-byte key.
    public static func generateKey() -> [UInt8] {
        var key = [UInt8](repeating: 0, count: 32)
        _ = key.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, 32) }
        return key
    }

    private static func parse(_ body: ArraySlice<UInt8>, now: Date, confirmMaxAge: TimeInterval) -> TrackingToken? {
        var rest = body
        guard let kindByte = rest.popFirst(), let kind = TrackingKind(rawValue: kindByte),
            let campaign = readVarint(&rest), let contact = readVarint(&rest)
        else { return nil }
        var token = TrackingToken(
            kind: kind, campaignID: Int64(bitPattern: campaign), contactID: Int64(bitPattern: contact))
        switch kind {
        case .click:
            guard let link = readVarint(&rest), let index = UInt16(exactly: link),
                let url = String(validating: rest, as: UTF8.self)
            else { return nil }
            token.linkIndex = index
            token.url = url
            rest = []
        case .confirm:
            guard let raw = readVarint(&rest) else { return nil }
            let issued = Date(timeIntervalSince1970: TimeInterval(Int64(bitPattern: raw)))
            let age = now.timeIntervalSince(issued)
            guard age <= confirmMaxAge, age >= -allowedSkew else { return nil }
            token.issuedAt = issued
        case .open, .unsubscribe, .preferences:
            break
        }
        return rest.isEmpty ? token : nil
    }

    /// LEB128: seven bits a byte, least significant first, high bit set on all but the last byte. Writes at
    /// most 10 bytes; returns how many.
    static func writeVarint(_ value: UInt64, to bytes: UnsafeMutablePointer<UInt8>) -> Int {
        var value = value
        var count = 0
        while value >= 0x80 {
            bytes[count] = UInt8(truncatingIfNeeded: value) | 0x80
            value >>= 7
            count += 1
        }
        bytes[count] = UInt8(value)
        return count + 1
    }

    /// The next varint, consumed; nil for a truncated, overlong or non-minimal one.
    static func readVarint(_ bytes: inout ArraySlice<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.popFirst() {
            guard shift < 64, shift < 63 || byte <= 1 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                // Minimal form only: a last byte of 0 after others would be a second spelling.
                guard byte != 0 || shift == 0 else { return nil }
                return value
            }
            shift += 7
        }
        return nil
    }
}
