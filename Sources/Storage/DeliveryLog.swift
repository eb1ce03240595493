import Foundation
import GRDB
import NIOConcurrencyHelpers
import Webhooks

/// One line of the delivery log: a recipient's outcome in one attempt.
public struct DeliveryLogEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "delivery_log"

    public var time: Date
    public var queueID: String
    public var sender: String
    public var recipient: String
    public var status: String
    public var attempt: Int?
    public var remoteHost: String?
    public var replyCode: Int?
    public var enhancedCode: String?
    public var reply: String?
    public var reason: String?
    public var hard: Bool?
    public var tls: String?

    enum CodingKeys: String, CodingKey {
        case time, sender, recipient, status, attempt, reply, reason, hard, tls
        case queueID = "queue_id"
        case remoteHost = "remote_host"
        case replyCode = "reply_code"
        case enhancedCode = "enhanced_code"
    }

    public init(
        time: Date, queueID: String, sender: String, recipient: String, status: String, attempt: Int? = nil,
        remoteHost: String? = nil, replyCode: Int? = nil, enhancedCode: String? = nil, reply: String? = nil,
        reason: String? = nil, hard: Bool? = nil, tls: String? = nil
    ) {
        self.time = time
        self.queueID = queueID
        self.sender = sender
        self.recipient = recipient
        self.status = status
        self.attempt = attempt
        self.remoteHost = remoteHost
        self.replyCode = replyCode
        self.enhancedCode = enhancedCode
        self.reply = reply
        self.reason = reason
        self.hard = hard
        self.tls = tls
    }
}

/// Writes delivery log entries in batches (one transaction per batch) off
/// the delivery path: `append` only queues.
public final class DeliveryLog: Sendable {
    private let database: PetrelDatabase
    private let pending = NIOLockedValueBox<(entries: [DeliveryLogEntry], scheduled: Bool)>(([], false))

    public init(database: PetrelDatabase) {
        self.database = database
    }

    public func append(_ entries: [DeliveryLogEntry]) {
        let schedule = pending.withLockedValue { state -> Bool in
            state.entries += entries
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
        guard schedule else { return }
        Task.detached { [self] in
            try? await Task.sleep(for: .milliseconds(50))
            await self.flush()
        }
    }

    /// Writes what is queued now. The batch is taken inside the write transaction, so once this returns every
    /// entry appended before the call is committed (writes are serialised): a concurrent flush that took
    /// entries first has committed them before this write runs.
    public func flush() async {
        try? await BlockingWork.run { [database] in try database.pool.write { db in try self.insertPending(db) } }
    }

    private func insertPending(_ db: Database) throws {
        let batch = pending.withLockedValue { state -> [DeliveryLogEntry] in
            let batch = state.entries
            state.entries.removeAll()
            state.scheduled = false
            return batch
        }
        // One prepared statement for the batch, not a Codable encode per row (a row per delivered recipient).
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO delivery_log (time, queue_id, sender, recipient, status, attempt, remote_host, reply_code,
                enhanced_code, reply, reason, hard, tls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for entry in batch {
            statement.setUncheckedArguments([
                entry.time, entry.queueID, entry.sender, entry.recipient, entry.status, entry.attempt, entry.remoteHost,
                entry.replyCode, entry.enhancedCode, entry.reply, entry.reason, entry.hard, entry.tls,
            ])
            try statement.execute()
        }
    }

    /// The entries of one message, oldest first.
    public func entries(queueID: String) async throws -> [DeliveryLogEntry] {
        try await BlockingWork.run { [database] in
            try database.pool.read { db in
                try DeliveryLogEntry.filter(Column("queue_id") == queueID).order(Column("id")).fetchAll(db)
            }
        }
    }

    /// The distinct recipients logged for one message, in the order first logged.
    public func recipients(queueID: String) async throws -> [String] {
        // Through the writer: pending entries are written first, in the same serialised access.
        try await BlockingWork.run { [database] in
            try database.pool.write { db in
                try self.insertPending(db)
                return try String.fetchAll(
                    db,
                    sql: "SELECT recipient FROM delivery_log WHERE queue_id = ? GROUP BY recipient ORDER BY MIN(id)",
                    arguments: [queueID])
            }
        }
    }

    /// The latest entries, newest first.
    public func recent(limit: Int) async throws -> [DeliveryLogEntry] {
        try await BlockingWork.run { [database] in
            try database.pool.read { db in
                try DeliveryLogEntry.order(Column("id").desc).limit(limit).fetchAll(db)
            }
        }
    }
}
