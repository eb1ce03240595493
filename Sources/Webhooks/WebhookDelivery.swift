import Foundation
import GRDB

/// One event for one webhook (a row of `webhook_delivery`): the body that every attempt posts, and how the
/// attempts went so far.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    public var id: Int64
    public var webhookID: Int64
    /// Raw value of a `WebhookEvent`.
    public var event: String
    /// The exact JSON body posted on every attempt.
    public var payload: String
    public var status: WebhookDeliveryStatus
    public var attempts: Int
    /// When the worker will next try; meaningful while `pending`.
    public var nextAttempt: Date
    /// HTTP status of the last answer, nil when there was none (transport error) or no attempt yet.
    public var lastStatus: Int?
    /// The transport error of the last attempt; nil when an answer came (see `lastStatus`).
    public var lastError: String?
    public var created: Date
    /// Set when the delivery became `delivered` or `failed`.
    public var finished: Date?

    public init(
        id: Int64, webhookID: Int64, event: String, payload: String, status: WebhookDeliveryStatus, attempts: Int,
        nextAttempt: Date, lastStatus: Int?, lastError: String?, created: Date, finished: Date?
    ) {
        self.id = id
        self.webhookID = webhookID
        self.event = event
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.created = created
        self.finished = finished
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case webhookID = "webhook_id"
        case event
        case payload
        case status
        case attempts
        case nextAttempt = "next_attempt"
        case lastStatus = "last_status"
        case lastError = "last_error"
        case created
        case finished
    }
}

extension WebhookDelivery {
    /// Decodes a `SELECT * FROM webhook_delivery` row; an unknown status is a corrupt row, not a default.
    init(row: Row) throws {
        let statusText: String = try row.decode(forColumn: "status")
        guard let status = WebhookDeliveryStatus(rawValue: statusText) else {
            throw DatabaseError(message: "webhook_delivery.status has unknown value \(statusText)")
        }
        let finished: Double? = try row.decode(forColumn: "finished")
        self.init(
            id: try row.decode(forColumn: "id"),
            webhookID: try row.decode(forColumn: "webhook_id"),
            event: try row.decode(forColumn: "event"),
            payload: try row.decode(forColumn: "payload"),
            status: status,
            attempts: try row.decode(forColumn: "attempts"),
            nextAttempt: Date(timeIntervalSince1970: try row.decode(forColumn: "next_attempt")),
            lastStatus: try row.decode(forColumn: "last_status"),
            lastError: try row.decode(forColumn: "last_error"),
            created: Date(timeIntervalSince1970: try row.decode(forColumn: "created")),
            finished: finished.map(Date.init(timeIntervalSince1970:))
        )
    }
}
