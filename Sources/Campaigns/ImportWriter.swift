import Dispatch
import GRDB
import Storage

/// Writes the importer's batches on a queue of its own, one batch at a time, so that the next batch is read
/// and checked while the last one is written: the CSV work and SQLite's run on two cores.
///
/// `@unchecked Sendable`: `outcome` is only touched on `queue`.
final class ImportWriter: @unchecked Sendable {
    private struct Outcome {
        var rows = 0
        var inserted = 0
        var error: (any Error)?
    }

    private let database: PetrelDatabase
    private let listID: Int64?
    private let time: Double
    private let queue = DispatchQueue(label: "petrel.contacts.import-writer")
    private var outcome = Outcome()

    init(database: PetrelDatabase, listID: Int64?, time: Double) {
        self.database = database
        self.listID = listID
        self.time = time
    }

    /// Queues a batch. After a batch fails nothing more is written; `settle` throws its error.
    func write(_ rows: [ImportRow]) {
        queue.async { [self] in
            guard outcome.error == nil else { return }
            do {
                let inserted = try writeNow(rows)
                outcome.rows += rows.count
                outcome.inserted += inserted
            } catch {
                outcome.error = error
            }
        }
    }

    /// Waits until every queued batch is written; returns the rows written and contacts inserted since the
    /// last call, or throws the error that stopped the writing.
    func settle() throws -> (rows: Int, inserted: Int) {
        let outcome = queue.sync {
            defer {
                self.outcome.rows = 0
                self.outcome.inserted = 0
            }
            return self.outcome
        }
        if let error = outcome.error { throw error }
        return (outcome.rows, outcome.inserted)
    }

    /// Writes the batch in one transaction (see `write`), with the writer connection tuned for bulk writes
    /// while it runs: `synchronous = NORMAL` (in WAL mode a commit is then not flushed to disk at once, the
    /// checkpoint flushes: a power cut may lose the last batches, never corrupt the file; the default here is
    /// FULL) and a 64 MiB page cache (imports in random address order touch pages all over the email index).
    /// Both settings are the connection's and are restored after the batch.
    private func writeNow(_ rows: [ImportRow]) throws -> Int {
        let listID = self.listID
        let time = self.time
        return try database.pool.writeWithoutTransaction { db -> Int in
            let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 2
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
            defer { try? db.execute(sql: "PRAGMA synchronous = \(synchronous); PRAGMA cache_size = \(cacheSize)") }
            var inserted = 0
            try db.inTransaction {
                inserted = try Self.write(rows, listID: listID, time: time, db)
                return .commit
            }
            return inserted
        }
    }

    /// Rows per upsert statement: 6 values each, well under SQLite's limit on bound parameters (32,766).
    static let rowsPerStatement = 64

    /// One batch, in the caller's transaction; returns how many contacts it inserted. `rowsPerStatement`
    /// rows per (cached) multi-row upsert: SQLite applies the rows in order, so a later row for the same
    /// address updates the earlier one as separate statements would. Contact ids are AUTOINCREMENT, so the
    /// contacts inserted are those whose id is above the highest before the batch: one count per batch, no
    /// value back per row. The list join takes the new contacts as one id range and looks up the others by
    /// address.
    static func write(_ rows: [ImportRow], listID: Int64?, time: Double, _ db: Database) throws -> Int {
        let before = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM contact") ?? 0
        let fullSQL = upsertSQL(rows: rowsPerStatement)
        // Existentials, not [DatabaseValue]: StatementArguments' generic initialiser goes through a key path
        // for every value.
        var values: [(any DatabaseValueConvertible)?] = []
        values.reserveCapacity(rowsPerStatement * 6 + 2)
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let end = min(start + rowsPerStatement, rows.count)
            let upsert = try db.cachedStatement(
                sql: end - start == rowsPerStatement ? fullSQL : upsertSQL(rows: end - start))
            values.removeAll(keepingCapacity: true)
            values.append(time)
            for row in rows[start..<end] {
                values.append(row.email)
                values.append(row.firstName)
                values.append(row.lastName)
                values.append(row.status)
                values.append(row.tags)
                values.append(row.fields)
            }
            upsert.setUncheckedArguments(StatementArguments(values))
            try upsert.execute()
        }
        let inserted =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact WHERE id > ?", arguments: [before]) ?? 0
        guard let listID else { return inserted }
        // The new contacts are a range of ids; those that were there before are found by address (only when
        // the batch had any).
        try db.execute(
            sql: "INSERT OR IGNORE INTO list_member (list_id, contact_id) SELECT ?, id FROM contact WHERE id > ?",
            arguments: [listID, before])
        guard inserted < rows.count else { return inserted }
        let fullJoin = joinSQL(rows: rowsPerStatement)
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let end = min(start + rowsPerStatement, rows.count)
            let join = try db.cachedStatement(
                sql: end - start == rowsPerStatement ? fullJoin : joinSQL(rows: end - start))
            values.removeAll(keepingCapacity: true)
            values.append(listID)
            values.append(before)
            for row in rows[start..<end] { values.append(row.email) }
            join.setUncheckedArguments(StatementArguments(values))
            try join.execute()
        }
        return inserted
    }

    /// Joins the contacts (that were there before the batch) with these addresses to the list.
    static func joinSQL(rows: Int) -> String {
        "INSERT OR IGNORE INTO list_member (list_id, contact_id) SELECT ?, id FROM contact WHERE id <= ? AND email IN ("
            + repeatElement("?", count: rows).joined(separator: ", ") + ")"
    }

    /// The upsert for `rows` rows. A contact that is no longer subscribed keeps its status; custom fields
    /// merge (an empty object leaves them as they are).
    /// `?1` is the time, bound once; then six values a row.
    static func upsertSQL(rows: Int) -> String {
        // A plain `?` takes the number after the highest so far: 2, 3, … after the first `?1`.
        return """
            INSERT INTO contact (created, updated, email, first_name, last_name, status, tags, fields) VALUES \
            \(repeatElement("(?1, ?1, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", "))
            ON CONFLICT(email) DO UPDATE SET
                first_name = excluded.first_name, last_name = excluded.last_name,
                status = CASE WHEN contact.status = 'subscribed' THEN excluded.status ELSE contact.status END,
                tags = excluded.tags,
                fields = CASE WHEN excluded.fields IN ('{}', contact.fields) THEN contact.fields
                    WHEN contact.fields = '{}' THEN excluded.fields
                    ELSE json_patch(contact.fields, excluded.fields) END,
                updated = excluded.updated
            """
    }
}
