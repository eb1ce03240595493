import Foundation
import GRDB

/// One POST of a delivery (a row of `webhook_attempt`), kept so an administrator can see why a receiver
/// keeps failing.
public struct WebhookAttempt: Sendable, Hashable, Codable {
    public var id: Int64
    public var deliveryID: Int64
    /// When the request started.
    public var time: Date
    /// The HTTP status the receiver answered; nil when no answer came (connection refused, timeout …).
    public var statusCode: Int?
    /// The transport error, when there was one.
    public var error: String?
    /// Seconds from sending the request to the end of the answer (or the error).
    public var duration: TimeInterval

    public init(
        id: Int64, deliveryID: Int64, time: Date, statusCode: Int?, error: String?, duration: TimeInterval
    ) {
        self.id = id
        self.deliveryID = deliveryID
        self.time = time
        self.statusCode = statusCode
        self.error = error
        self.duration = duration
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case deliveryID = "delivery_id"
        case time
        case statusCode = "status_code"
        case error
        case duration
    }
}

extension WebhookAttempt {
    /// Decodes a `SELECT * FROM webhook_attempt` row.
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            deliveryID: try row.decode(forColumn: "delivery_id"),
            time: Date(timeIntervalSince1970: try row.decode(forColumn: "time")),
            statusCode: try row.decode(forColumn: "status_code"),
            error: try row.decode(forColumn: "error"),
            duration: try row.decode(forColumn: "duration")
        )
    }
}
