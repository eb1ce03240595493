import Foundation
import GRDB
import Storage

/// The per-recipient ledger of campaigns (`campaign_recipient`): a row is written, "pending", before a
/// recipient's message is spooled and becomes "queued" once the spool holds it; delivery outcomes, opens,
/// clicks, unsubscribes and complaints fill in its other columns. A campaign that resumes — after a pause,
/// a restart or a crash — sends only to contacts without a row, and settles pending rows by asking the spool,
/// so nobody is mailed twice.
public struct CampaignLedger: Sendable {
    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    public struct Reservation: Sendable, Hashable {
        public var contactID: Int64
        public var email: String
        public var queueID: String
        public init(contactID: Int64, email: String, queueID: String) {
            self.contactID = contactID
            self.email = email
            self.queueID = queueID
        }
    }

    /// Writes pending rows for a batch, in one transaction.
    public func reserve(campaignID: Int64, _ batch: [Reservation], variant: String = "") throws {
        try database.pool.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO campaign_recipient (campaign_id, contact_id, email, queue_id, status, variant)
                    VALUES (?, ?, ?, ?, 'pending', ?)
                    """)
            for entry in batch {
                try statement.execute(arguments: [campaignID, entry.contactID, entry.email, entry.queueID, variant])
            }
        }
    }

    /// Marks a batch queued: its messages are on stable storage.
    public func markQueued(campaignID: Int64, contactIDs: [Int64], time: Date = Date()) throws {
        guard let first = contactIDs.min(), let last = contactIDs.max() else { return }
        try database.pool.write { db in
            // One statement over the batch's contact id range when the batch is all of the campaign's pending
            // rows in that range (the runner's batches are disjoint ranges), else row by row.
            let pendingInRange =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM campaign_recipient
                        WHERE campaign_id = ? AND contact_id BETWEEN ? AND ? AND status = 'pending'
                        """, arguments: [campaignID, first, last]) ?? 0
            if pendingInRange == Set(contactIDs).count {
                try db.execute(
                    sql: """
                        UPDATE campaign_recipient SET status = 'queued', queued = ?
                        WHERE campaign_id = ? AND contact_id BETWEEN ? AND ? AND status = 'pending'
                        """, arguments: [time.timeIntervalSince1970, campaignID, first, last])
                return
            }
            for contactID in contactIDs {
                try Self.markQueued(campaignID: campaignID, contactID: contactID, time: time, db)
            }
        }
    }

    /// Marks one pending row queued (its message is on stable storage), inside the caller's transaction.
    static func markQueued(campaignID: Int64, contactID: Int64, time: Date, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE campaign_recipient SET status = 'queued', queued = ?
                WHERE campaign_id = ? AND contact_id = ? AND status = 'pending'
                """)
        try statement.execute(arguments: [time.timeIntervalSince1970, campaignID, contactID])
    }

    /// Settles pending rows — of one campaign, or of all when `campaignID` is nil (at start-up, before the
    /// queue loads the spool, so that no message it holds can be delivered and removed first): a message the
    /// spool holds was stored and its row becomes queued; one it does not hold never was, and its row goes, so
    /// the contact is sent to when the campaign resumes. Returns (stored, released).
    public func settle(campaignID: Int64? = nil, isSpooled: (String) -> Bool, time: Date = Date()) throws -> (
        stored: Int, released: Int
    ) {
        try database.pool.write { db in
            var sql = "SELECT campaign_id, contact_id, queue_id FROM campaign_recipient WHERE status = 'pending'"
            var arguments = StatementArguments()
            if let campaignID {
                sql += " AND campaign_id = ?"
                arguments += [campaignID]
            }
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            var stored = 0
            for row in rows {
                let campaignID: Int64 = row[0]
                let contactID: Int64 = row[1]
                if isSpooled(row[2]) {
                    try db.execute(
                        sql: """
                            UPDATE campaign_recipient SET status = 'queued', queued = ?
                            WHERE campaign_id = ? AND contact_id = ?
                            """, arguments: [time.timeIntervalSince1970, campaignID, contactID])
                    stored += 1
                } else {
                    try db.execute(
                        sql: "DELETE FROM campaign_recipient WHERE campaign_id = ? AND contact_id = ?",
                        arguments: [campaignID, contactID])
                }
            }
            return (stored, rows.count - stored)
        }
    }

    /// A delivery outcome for the message `queueID` (one recipient per campaign message).
    public func recordDelivery(queueID: String, delivered: Bool, hard: Bool = true, time: Date = Date()) throws {
        try database.pool.write { db in
            if delivered {
                try db.execute(
                    sql: """
                        UPDATE campaign_recipient SET status = 'delivered', delivered = ? WHERE queue_id = ?
                        AND status IN ('queued', 'pending')
                        """,
                    arguments: [time.timeIntervalSince1970, queueID])
            } else {
                try db.execute(
                    sql: """
                        UPDATE campaign_recipient SET status = 'bounced', bounced = ?, hard = ? WHERE queue_id = ?
                        """,
                    arguments: [time.timeIntervalSince1970, hard, queueID])
            }
        }
    }

    public enum Engagement: String, Sendable, CaseIterable {
        case opened, clicked, unsubscribed, complained
    }

    /// The first time of an engagement; later ones leave it. Returns whether this was the first.
    @discardableResult
    public func record(_ engagement: Engagement, campaignID: Int64, contactID: Int64, time: Date = Date()) throws
        -> Bool
    {
        try database.pool.write { db in
            try db.execute(
                sql: """
                    UPDATE campaign_recipient SET \(engagement.rawValue) = ?
                    WHERE campaign_id = ? AND contact_id = ? AND \(engagement.rawValue) IS NULL
                    """,
                arguments: [time.timeIntervalSince1970, campaignID, contactID])
            return db.changesCount > 0
        }
    }

    /// The campaign and contact of a message, for events that come back by queue id (bounces, complaints).
    public func recipient(queueID: String) throws -> (campaignID: Int64, contactID: Int64)? {
        try database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT campaign_id, contact_id FROM campaign_recipient WHERE queue_id = ?",
                arguments: [queueID]
            ).map { ($0[0], $0[1]) }
        }
    }

    /// When the recipient's message was delivered (else queued), for telling machine opens from human ones:
    /// a scanner at the receiving side fetches within seconds of delivery.
    public func sentTime(campaignID: Int64, contactID: Int64) throws -> Date? {
        try database.pool.read { db in
            try Double.fetchOne(
                db,
                sql:
                    "SELECT COALESCE(delivered, queued) FROM campaign_recipient WHERE campaign_id = ? AND contact_id = ?",
                arguments: [campaignID, contactID]
            ).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Rows per status.
    public func statusCounts(campaignID: Int64) throws -> [String: Int] {
        try database.pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT status, COUNT(*) FROM campaign_recipient WHERE campaign_id = ? GROUP BY status",
                arguments: [campaignID])
            {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }

    public func variantCounts(campaignID: Int64) throws -> [String: ABCounts] {
        try database.pool.read { db in
            var counts: [String: ABCounts] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT variant, SUM(status != 'pending'), COUNT(delivered), COUNT(opened), COUNT(clicked)
                    FROM campaign_recipient WHERE campaign_id = ? AND variant != '' GROUP BY variant
                    """, arguments: [campaignID])
            {
                counts[row[0]] = ABCounts(sent: row[1], delivered: row[2], opened: row[3], clicked: row[4])
            }
            return counts
        }
    }
}
