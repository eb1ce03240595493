import Foundation
import GRDB

/// The events that active webhooks subscribe to, held in memory by a ``WebhookStore`` and its copies and
/// dropped by its writes: every delivery publishes an event, and with no subscriber (the common case) that
/// should cost a set lookup, not a task, a JSON payload and a database read.
final class WebhookSubscriptions: @unchecked Sendable {
    private let lock = NSLock()
    /// Counts invalidations, so that a load that raced with a write is not kept.
    private var generation: UInt64 = 0
    private var events: Set<String>?

    func invalidate() {
        lock.withLock {
            generation &+= 1
            events = nil
        }
    }

    /// The subscribed events, read from `database` when not held.
    func events(in database: any DatabaseWriter) throws -> Set<String> {
        let (seen, held) = lock.withLock { (generation, events) }
        if let held { return held }
        let loaded = try database.read { db in
            try Set(
                String.fetchAll(
                    db,
                    sql: "SELECT DISTINCT json_each.value FROM webhook, json_each(webhook.events) WHERE active = 1"))
        }
        lock.withLock {
            if generation == seen { events = loaded }
        }
        return loaded
    }
}
