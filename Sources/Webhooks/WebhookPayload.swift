import Foundation

/// The JSON body of a delivery: `{"id":"<delivery id>","event":"<name>","created":"<ISO 8601>","data":{…}}`.
///
/// Members appear in that order, compact, `data` members sorted by key. The body is built once, when the
/// event is published, stored in `webhook_delivery.payload` and posted unchanged on every attempt.
struct WebhookPayload {
    /// The serialised `data` object, shared by every delivery of one published event.
    let data: [UInt8]
    let event: WebhookEvent
    let created: Date

    /// Serialises `data` up front so that an unencodable value fails `publish` instead of a later attempt.
    init(event: WebhookEvent, data: [String: JSONValue], created: Date) throws(WebhookError) {
        var writer = JSONWriter()
        try writer.write(.object(data))
        self.data = writer.bytes
        self.event = event
        self.created = created
    }

    /// The body for one delivery. `id` is a string so receivers need not care how Petrel numbers rows.
    func body(deliveryID: Int64) -> String {
        var writer = JSONWriter()
        writer.bytes.append(contentsOf: #"{"id":"#.utf8)
        writer.writeString(String(deliveryID))
        writer.bytes.append(contentsOf: #","event":"#.utf8)
        writer.writeString(event.rawValue)
        writer.bytes.append(contentsOf: #","created":"#.utf8)
        // RFC 3339 §5.6 date-time in UTC, e.g. 2025-01-31T09:30:00Z.
        writer.writeString(created.formatted(.iso8601))
        writer.bytes.append(contentsOf: #","data":"#.utf8)
        writer.bytes.append(contentsOf: data)
        writer.bytes.append(UInt8(ascii: "}"))
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
