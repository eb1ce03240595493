import Foundation

/// The rules a webhook's fields must meet, checked before anything is written so that an API client hears
/// which field is wrong.
enum WebhookValidation {
    /// An absolute URL (RFC 3986 §4.3) with scheme `http` or `https` (RFC 9110 §4.2) and a non-empty host:
    /// anything else cannot be POSTed to.
    static func url(_ text: String) throws(WebhookError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw .invalid(field: "url", reason: "not an absolute URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw .invalid(field: "url", reason: "scheme must be http or https")
        }
        guard let host = url.host, !host.isEmpty else {
            throw .invalid(field: "url", reason: "URL has no host")
        }
        return text
    }

    /// At least one event, each a `WebhookEvent` raw value; duplicates are dropped, order is kept.
    static func events(_ names: [String]) throws(WebhookError) -> [String] {
        guard !names.isEmpty else {
            throw .invalid(field: "events", reason: "at least one event is required")
        }
        var unique: [String] = []
        for name in names {
            guard WebhookEvent(rawValue: name) != nil else {
                throw .invalid(field: "events", reason: "unknown event \(name)")
            }
            if !unique.contains(name) { unique.append(name) }
        }
        return unique
    }

    /// The given secret, or a new one: `whsec_` and 32 bytes from the CSPRNG in hex (256 bits, the size of
    /// an HMAC-SHA256 output, RFC 2104 §3).
    static func secret(_ given: String?) throws(WebhookCryptoError) -> String {
        if let given, !given.isEmpty { return given }
        return "whsec_" + Hex.encode(try LibCrypto.randomBytes(32))
    }

    /// The events array as stored in `webhook.events`.
    static func eventsJSON(_ events: [String]) -> String {
        var writer = JSONWriter()
        writer.writeStringArray(events)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
