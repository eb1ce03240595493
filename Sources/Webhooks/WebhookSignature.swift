import Foundation

/// The `Petrel-Signature` header that lets a receiver prove a request came from this Petrel and was not
/// replayed.
///
/// The header is `t=<timestamp>,v1=<signature>` where
///
/// - `timestamp` is the sending time in seconds since 1970-01-01T00:00:00Z, in decimal;
/// - `signature` is the lowercase hex of HMAC-SHA256 (RFC 2104, FIPS 180-4) keyed with the UTF-8 bytes of
///   the webhook's secret (the `whsec_…` string as shown, prefix included) over the bytes of
///   `timestamp`, one `.` (0x2E), then the raw request body exactly as received.
///
/// To verify, a receiver recomputes the HMAC over `timestamp + "." + raw body` with the secret, compares it
/// in constant time with every `v1=` value in the header, and rejects a timestamp too far from its own
/// clock (five minutes by default) to stop replays. The body must be hashed before any JSON parsing:
/// re-serialising changes bytes. Retries of one delivery post identical bodies, so their signatures differ
/// only through the timestamp; the `id` field of the body (also sent as `Petrel-Delivery`) lets a receiver
/// drop duplicates, since delivery is at-least-once.
///
/// Unknown `key=value` elements are ignored, so a future scheme (`v2=`) or a second signature during secret
/// rotation can be added without breaking existing receivers.
public enum WebhookSignature {
    /// The request header that carries the signature.
    public static let headerName = "Petrel-Signature"

    /// How far, in seconds, a timestamp may be from the verifier's clock by default.
    public static let defaultTolerance: TimeInterval = 300

    /// The header value for `body` sent at `timestamp` (seconds since 1970).
    ///
    /// Should libcrypto fail internally, the `v1` value is empty, which no receiver accepts: a request that
    /// cannot be signed is refused rather than sent unsigned.
    public static func header(secret: String, timestamp: Int, body: [UInt8]) -> String {
        let signature = mac(secret: secret, timestamp: String(timestamp), body: body).map(Hex.encode) ?? ""
        return "t=\(timestamp),v1=\(signature)"
    }

    /// True when `header` carries a `v1` signature of `body` under `secret` and its timestamp lies within
    /// `tolerance` seconds of `now`, in either direction (a future timestamp is as suspect as an old one).
    public static func verify(
        header: String, secret: String, body: [UInt8], now: Date = Date(),
        tolerance: TimeInterval = defaultTolerance
    ) -> Bool {
        var timestampText: Substring?
        var candidates: [[UInt8]] = []
        for element in header.split(separator: ",") {
            let parts = element.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = Substring(parts[1].trimmingCharacters(in: .whitespaces))
            if key == "t" {
                timestampText = value
            } else if key == "v1", let bytes = Hex.decode(value) {
                candidates.append(bytes)
            }
        }
        guard let timestampText, let timestamp = Int(timestampText), !candidates.isEmpty else { return false }
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        guard let expected = mac(secret: secret, timestamp: String(timestampText), body: body) else { return false }
        var matched = false
        for candidate in candidates where LibCrypto.constantTimeEqual(candidate, expected) {
            matched = true
        }
        return matched
    }

    /// HMAC-SHA256 over `timestamp` "." `body`, keyed with the secret's UTF-8 bytes.
    private static func mac(secret: String, timestamp: String, body: [UInt8]) -> [UInt8]? {
        var message: [UInt8] = []
        message.reserveCapacity(timestamp.utf8.count + 1 + body.count)
        message.append(contentsOf: timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        return LibCrypto.hmacSHA256(key: Array(secret.utf8), message: message)
    }
}
