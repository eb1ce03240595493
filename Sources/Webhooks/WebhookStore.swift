import Foundation
import GRDB

/// Webhooks and their delivery history in SQLite: the administration side (create, list, update, delete,
/// inspect) used by the HTTP API, and the queue side used by `WebhookDispatcher`.
///
/// A value over the database writer; SQLite is what makes pending deliveries survive a restart. Copies
/// share the in-memory list of subscribed events, which this store's writes refresh: the API and the
/// dispatcher use one store (or copies of it).
public struct WebhookStore: Sendable {
    let database: any DatabaseWriter
    let subscriptions = WebhookSubscriptions()

    public init(database: any DatabaseWriter) {
        self.database = database
    }

    /// Whether an active webhook subscribes to `event` (true when that cannot be read: publishing then
    /// reports the error).
    public func hasSubscribers(_ event: WebhookEvent) -> Bool {
        (try? subscriptions.events(in: database).contains(event.rawValue)) ?? true
    }

    /// Adds a webhook, active. A nil or empty `secret` gets a generated `whsec_…` one, returned in the
    /// result so the caller can show it once.
    public func create(url: String, events: [String], secret: String? = nil, description: String = "") throws
        -> Webhook
    {
        let url = try WebhookValidation.url(url)
        let events = try WebhookValidation.events(events)
        let secret = try WebhookValidation.secret(secret)
        let created = Date()
        defer { subscriptions.invalidate() }
        return try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO webhook (url, events, secret, active, description, created)
                    VALUES (?, ?, ?, 1, ?, ?)
                    """,
                arguments: [
                    url, WebhookValidation.eventsJSON(events), secret, description, created.timeIntervalSince1970,
                ]
            )
            // The stored Double, not `created` itself: a Date read back from seconds-since-1970 can differ from
            // the original in the last bit, and the result should equal what `get` returns.
            return Webhook(
                id: db.lastInsertedRowID, url: url, events: events, secret: secret, active: true,
                description: description, created: Date(timeIntervalSince1970: created.timeIntervalSince1970))
        }
    }

    public func get(id: Int64) throws -> Webhook {
        try database.read { db in try Self.fetch(db, id: id) }
    }

    /// Every webhook, in creation order.
    public func list() throws -> [Webhook] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhook ORDER BY id").map(Webhook.init(row:))
        }
    }

    /// Changes the given fields, validated as in `create`; nil leaves a field as it is.
    public func update(
        id: Int64, url: String? = nil, events: [String]? = nil, active: Bool? = nil, description: String? = nil
    ) throws -> Webhook {
        let url = try url.map { text throws(WebhookError) in try WebhookValidation.url(text) }
        let events = try events.map { names throws(WebhookError) in try WebhookValidation.events(names) }
        defer { subscriptions.invalidate() }
        return try database.write { db in
            var webhook = try Self.fetch(db, id: id)
            if let url { webhook.url = url }
            if let events { webhook.events = events }
            if let active { webhook.active = active }
            if let description { webhook.description = description }
            try db.execute(
                sql: "UPDATE webhook SET url = ?, events = ?, active = ?, description = ? WHERE id = ?",
                arguments: [
                    webhook.url, WebhookValidation.eventsJSON(webhook.events), webhook.active, webhook.description, id,
                ]
            )
            return webhook
        }
    }

    /// Removes a webhook with its deliveries and attempts (`ON DELETE CASCADE`).
    public func delete(id: Int64) throws {
        defer { subscriptions.invalidate() }
        try database.write { db in
            try db.execute(sql: "DELETE FROM webhook WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { throw WebhookError.notFound(id: id) }
        }
    }

    /// A webhook's deliveries, newest first; `limit` is clamped to 1…1000.
    public func deliveries(webhookID: Int64, limit: Int = 100) throws -> [WebhookDelivery] {
        try database.read { db in
            _ = try Self.fetch(db, id: webhookID)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM webhook_delivery WHERE webhook_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [webhookID, min(max(limit, 1), 1000)]
            ).map(WebhookDelivery.init(row:))
        }
    }

    public func delivery(id: Int64) throws -> WebhookDelivery {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhook_delivery WHERE id = ?", arguments: [id])
            else { throw WebhookError.notFound(id: id) }
            return try WebhookDelivery(row: row)
        }
    }

    /// A delivery's attempts, oldest first.
    public func attempts(deliveryID: Int64) throws -> [WebhookAttempt] {
        try database.read { db in
            let exists = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM webhook_delivery WHERE id = ?)", arguments: [deliveryID])
            guard exists == true else { throw WebhookError.notFound(id: deliveryID) }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM webhook_attempt WHERE delivery_id = ? ORDER BY id", arguments: [deliveryID]
            ).map(WebhookAttempt.init(row:))
        }
    }

    static func fetch(_ db: Database, id: Int64) throws -> Webhook {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhook WHERE id = ?", arguments: [id]) else {
            throw WebhookError.notFound(id: id)
        }
        return try Webhook(row: row)
    }
}
