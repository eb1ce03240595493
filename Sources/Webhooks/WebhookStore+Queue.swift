import Foundation
import GRDB

/// A pending delivery that is due, joined with what the worker needs to send it.
struct DueDelivery: Sendable, Hashable {
    var id: Int64
    var event: String
    var payload: String
    var url: String
    var secret: String
}

/// What one attempt came to.
struct AttemptOutcome: Sendable, Hashable {
    var deliveryID: Int64
    var started: Date
    var duration: TimeInterval
    /// The answer's status code; nil when none came.
    var statusCode: Int?
    /// The transport error; nil when an answer came.
    var error: String?

    /// RFC 9110 §15.3: only 2xx means the receiver accepted the event. 3xx is a failure too: redirects are
    /// not followed, so a signed body never goes to a host the administrator did not name.
    var succeeded: Bool {
        guard let statusCode else { return false }
        return (200..<300).contains(statusCode)
    }
}

// The queue side, used by `WebhookDispatcher`. Async so the worker does not block a cooperative thread on
// SQLite.
extension WebhookStore {
    private static let subscribersSQL = """
        SELECT id FROM webhook
        WHERE active = 1 AND EXISTS (SELECT 1 FROM json_each(webhook.events) WHERE json_each.value = ?)
        ORDER BY id
        """

    /// Adds one pending delivery, due now, for every active webhook subscribed to the payload's event, in
    /// one transaction; returns their ids.
    ///
    /// The common case of no subscriber is answered from the subscribed events held in memory
    /// (`hasSubscribers`) and takes no write lock.
    func enqueue(_ payload: WebhookPayload) async throws -> [Int64] {
        guard hasSubscribers(payload.event) else { return [] }
        let event = payload.event.rawValue
        return try await insert(payload) { db in
            // Read again inside the transaction: a webhook may have been deleted since.
            try Int64.fetchAll(db, sql: Self.subscribersSQL, arguments: [event])
        }
    }

    /// One pending delivery of `payload` to the webhook `id` whatever its events (an automation's webhook
    /// step); none when the webhook is gone.
    func enqueue(_ payload: WebhookPayload, webhookID id: Int64) async throws -> [Int64] {
        try await insert(payload) { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM webhook WHERE id = ?", arguments: [id])
        }
    }

    /// The webhook that carries an automation's calls to `url` (events `[]`: it receives nothing else),
    /// created on first use with a fresh secret.
    public func stepWebhook(url: String) throws -> Webhook {
        let url = try WebhookValidation.url(url)
        if let id = try database.read({ db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM webhook WHERE url = ? AND events = '[]' ORDER BY id LIMIT 1", arguments: [url])
        }) {
            return try get(id: id)
        }
        let secret = try WebhookValidation.secret(nil)
        let created = Date().timeIntervalSince1970
        let id = try database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO webhook (url, events, secret, active, description, created) VALUES (?, '[]', ?, 1, ?, ?)",
                arguments: [url, secret, "automation webhook step", created])
            return db.lastInsertedRowID
        }
        return try get(id: id)
    }

    private func insert(_ payload: WebhookPayload, targets: @escaping @Sendable (Database) throws -> [Int64])
        async throws -> [Int64]
    {
        let event = payload.event.rawValue
        let now = payload.created.timeIntervalSince1970
        return try await BlockingWork.run { [database] in
            try database.write { db in
                var deliveryIDs: [Int64] = []
                for webhookID in try targets(db) {
                    // The body names the delivery id, known only after the insert; the transaction hides the
                    // empty payload from every reader.
                    try db.execute(
                        sql: """
                            INSERT INTO webhook_delivery (webhook_id, event, payload, status, attempts, next_attempt, created)
                            VALUES (?, ?, '', 'pending', 0, ?, ?)
                            """,
                        arguments: [webhookID, event, now, now]
                    )
                    let deliveryID = db.lastInsertedRowID
                    try db.execute(
                        sql: "UPDATE webhook_delivery SET payload = ? WHERE id = ?",
                        arguments: [payload.body(deliveryID: deliveryID), deliveryID]
                    )
                    deliveryIDs.append(deliveryID)
                }
                return deliveryIDs
            }
        }
    }

    /// Pending deliveries of active webhooks whose time has come, oldest first, leaving out `excluded` (the
    /// ones in flight).
    func due(now: Date, limit: Int, excluding excluded: Set<Int64>) async throws -> [DueDelivery] {
        try await BlockingWork.run { [database] in
            try database.read { db in
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT d.id, d.event, d.payload, w.url, w.secret
                        FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
                        WHERE d.status = 'pending' AND d.next_attempt <= ? AND w.active = 1
                        ORDER BY d.next_attempt, d.id LIMIT ?
                        """,
                    arguments: [now.timeIntervalSince1970, limit + excluded.count]
                )
                var due: [DueDelivery] = []
                while due.count < limit, let row = try rows.next() {
                    let id: Int64 = try row.decode(atIndex: 0)
                    guard !excluded.contains(id) else { continue }
                    due.append(
                        DueDelivery(
                            id: id, event: try row.decode(atIndex: 1), payload: try row.decode(atIndex: 2),
                            url: try row.decode(atIndex: 3), secret: try row.decode(atIndex: 4)))
                }
                return due
            }
        }
    }

    /// The earliest `next_attempt` after `now` among pending deliveries of active webhooks.
    func nextAttempt(after now: Date) async throws -> Date? {
        let time = try await BlockingWork.run { [database] in
            try database.read { db in
                try Double.fetchOne(
                    db,
                    sql: """
                        SELECT MIN(d.next_attempt) FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
                        WHERE d.status = 'pending' AND d.next_attempt > ? AND w.active = 1
                        """,
                    arguments: [now.timeIntervalSince1970]
                )
            }
        }
        return time.map(Date.init(timeIntervalSince1970:))
    }

    /// Writes the attempt row and moves the delivery on: `delivered` on success, `failed` once `maxAttempts`
    /// attempts have failed, otherwise pending again after `backoff`. A delivery deleted meanwhile (its
    /// webhook was removed) is left alone.
    func record(_ outcome: AttemptOutcome, maxAttempts: Int, backoff: WebhookBackoff) async throws {
        let finishedAt = (outcome.started + outcome.duration).timeIntervalSince1970
        try await BlockingWork.run { [database] in
            try database.write { db in
                guard
                    let attempts = try Int.fetchOne(
                        db, sql: "SELECT attempts FROM webhook_delivery WHERE id = ?", arguments: [outcome.deliveryID])
                else { return }
                try db.execute(
                    sql: """
                        INSERT INTO webhook_attempt (delivery_id, time, status_code, error, duration)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        outcome.deliveryID, outcome.started.timeIntervalSince1970, outcome.statusCode, outcome.error,
                        outcome.duration,
                    ]
                )
                let made = attempts + 1
                let status: WebhookDeliveryStatus
                var nextAttempt = finishedAt
                if outcome.succeeded {
                    status = .delivered
                } else if made >= maxAttempts {
                    status = .failed
                } else {
                    status = .pending
                    nextAttempt = finishedAt + backoff.delay(afterAttempts: made)
                }
                try db.execute(
                    sql: """
                        UPDATE webhook_delivery
                        SET status = ?, attempts = ?, next_attempt = ?, last_status = ?, last_error = ?, finished = ?
                        WHERE id = ?
                        """,
                    arguments: [
                        status.rawValue, made, nextAttempt, outcome.statusCode, outcome.error,
                        status == .pending ? nil : finishedAt, outcome.deliveryID,
                    ]
                )
            }
        }
    }

    /// Makes a pending or failed delivery due now. It keeps its attempt count, so a delivery that had
    /// already failed `maxAttempts` times gets exactly one more attempt.
    func retry(deliveryID: Int64, now: Date) async throws {
        try await BlockingWork.run { [database] in
            try database.write { db in
                guard
                    let text = try String.fetchOne(
                        db, sql: "SELECT status FROM webhook_delivery WHERE id = ?", arguments: [deliveryID])
                else { throw WebhookError.notFound(id: deliveryID) }
                guard text != WebhookDeliveryStatus.delivered.rawValue else {
                    throw WebhookError.invalid(field: "status", reason: "delivery \(deliveryID) was already delivered")
                }
                try db.execute(
                    sql: """
                        UPDATE webhook_delivery SET status = 'pending', next_attempt = ?, finished = NULL WHERE id = ?
                        """,
                    arguments: [now.timeIntervalSince1970, deliveryID]
                )
            }
        }
    }
}
