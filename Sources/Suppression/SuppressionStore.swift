import Foundation
import GRDB
import NIOConcurrencyHelpers
import Storage

/// The suppression list: rows in SQLite (the truth, shared with `petrel suppression …` in another process)
/// and an in-memory fingerprint index of every row, so the check before each delivery attempt costs a hash
/// and a probe. Only a fingerprint hit reads the database, to confirm the address and fetch its entry.
public final class SuppressionStore: Sendable {
    public let normalization: AddressNormalization
    private let database: PetrelDatabase
    private let index: NIOLockedValueBox<(set: FingerprintSet, lastID: Int64)>

    /// Opens the list and loads the index from every row.
    public init(database: PetrelDatabase, normalization: AddressNormalization = AddressNormalization()) throws {
        self.database = database
        self.normalization = normalization
        let rowCount = try database.pool.read { db in try SuppressionEntry.fetchCount(db) }
        index = NIOLockedValueBox((FingerprintSet(minimumCapacity: max(rowCount, 1024)), 0))
        try refresh()
    }

    /// Addresses in the index.
    public var count: Int { index.withLockedValue { $0.set.count } }

    /// Bytes of the in-memory index.
    public var indexMemoryBytes: Int { index.withLockedValue { $0.set.memoryBytes } }

    /// Reads rows added since the last refresh (by this process or another) into the index; returns how many.
    @discardableResult
    public func refresh() throws -> Int {
        let after = index.withLockedValue { $0.lastID }
        var added = 0
        var highest = after
        try database.pool.read { db in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT id, address FROM suppression WHERE id > ? ORDER BY id", arguments: [after])
            var batch: [UInt64] = []
            batch.reserveCapacity(4096)
            while let row = try rows.next() {
                let address: String = row[1]
                batch.append(FingerprintSet.fingerprint(address))
                highest = row[0]
                if batch.count == 4096 {
                    insert(batch, highest: highest)
                    added += batch.count
                    batch.removeAll(keepingCapacity: true)
                }
            }
            insert(batch, highest: highest)
            added += batch.count
        }
        return added
    }

    private func insert(_ fingerprints: [UInt64], highest: Int64) {
        index.withLockedValue { state in
            for fingerprint in fingerprints { state.set.insert(fingerprint) }
            state.lastID = max(state.lastID, highest)
        }
    }

    /// Whether `address` may be in the list: the index alone, no database read. False is certain.
    public func mayContain(_ address: String) -> Bool {
        let fingerprint = normalization.fingerprint(address)
        return index.withLockedValue { $0.set.contains(fingerprint) }
    }

    /// The entry that suppresses `address`, or nil. Reads the database only on an index hit.
    public func lookup(_ address: String) throws -> SuppressionEntry? {
        let fingerprint = normalization.fingerprint(address)
        guard index.withLockedValue({ $0.set.contains(fingerprint) }) else { return nil }
        let normalized = normalization.normalize(address)
        return try database.pool.read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT id, address, kind, reason, source, time, detail FROM suppression WHERE address = ?")
            guard let row = try Row.fetchOne(statement, arguments: [normalized]) else { return nil }
            return Self.entry(row)
        }
    }

    /// Decodes a row of `SELECT id, address, kind, reason, source, time, detail` (faster than Codable).
    static func entry(_ row: Row) -> SuppressionEntry {
        var entry = SuppressionEntry(
            address: row[1], kind: SuppressionEntry.Kind(rawValue: row[2]) ?? .manual, reason: row[3], source: row[4],
            time: row[5], detail: row[6])
        entry.id = row[0]
        return entry
    }

    /// Adds an entry (its address normalised). An address already listed keeps its first entry; returns
    /// the entry in force and whether it is new.
    @discardableResult
    public func add(_ entry: SuppressionEntry) throws -> (entry: SuppressionEntry, added: Bool) {
        var entry = entry
        entry.address = normalization.normalize(entry.address)
        entry.id = nil
        let address = entry.address
        let result = try database.pool.write { db -> (SuppressionEntry, Bool) in
            if let existing = try SuppressionEntry.filter(Column("address") == address).fetchOne(db) {
                return (existing, false)
            }
            try entry.insert(db)
            // Soft bounces that led here are settled.
            try db.execute(sql: "DELETE FROM soft_bounce WHERE address = ?", arguments: [address])
            return (entry, true)
        }
        index.withLockedValue { state in
            state.set.insert(FingerprintSet.fingerprint(address))
            state.lastID = max(state.lastID, result.0.id ?? 0)
        }
        return result
    }

    /// Removes an address; returns the removed entry, or nil when it was not listed.
    @discardableResult
    public func remove(_ address: String) throws -> SuppressionEntry? {
        let normalized = normalization.normalize(address)
        let removed = try database.pool.write { db -> SuppressionEntry? in
            guard let existing = try SuppressionEntry.filter(Column("address") == normalized).fetchOne(db) else {
                return nil
            }
            try existing.delete(db)
            try db.execute(sql: "DELETE FROM soft_bounce WHERE address = ?", arguments: [normalized])
            return existing
        }
        // Another process's removal leaves a stale fingerprint here; the database check on a hit answers
        // for it, so a stale fingerprint costs one read, never a wrong answer.
        index.withLockedValue { _ = $0.set.remove(FingerprintSet.fingerprint(normalized)) }
        return removed
    }

    /// Records a soft bounce for `address` and returns how many soft bounces it has had since `since`
    /// (this one included). Older records are dropped.
    public func recordSoftBounce(_ address: String, time: Date, source: String, since: Date) throws -> Int {
        let normalized = normalization.normalize(address)
        return try database.pool.write { db in
            try db.execute(
                sql: "INSERT INTO soft_bounce (address, time, source) VALUES (?, ?, ?)",
                arguments: [normalized, time.timeIntervalSinceReferenceDate, source])
            try db.execute(
                sql: "DELETE FROM soft_bounce WHERE address = ? AND time < ?",
                arguments: [normalized, since.timeIntervalSinceReferenceDate])
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM soft_bounce WHERE address = ?", arguments: [normalized]) ?? 0
        }
    }

    /// Entries in the order they were added, `limit` at most, after the entry with id `after`.
    public func entries(after: Int64 = 0, limit: Int? = nil, kind: SuppressionEntry.Kind? = nil) throws
        -> [SuppressionEntry]
    {
        try database.pool.read { db in
            var request = SuppressionEntry.filter(Column("id") > after)
            if let kind { request = request.filter(Column("kind") == kind.rawValue) }
            request = request.order(Column("id"))
            if let limit { request = request.limit(limit) }
            return try request.fetchAll(db)
        }
    }

    /// Calls `body` with every entry in the order they were added, without loading all of them at once.
    public func forEachEntry(_ body: (SuppressionEntry) throws -> Void) throws {
        try database.pool.read { db in
            let cursor = try SuppressionEntry.order(Column("id")).fetchCursor(db)
            while let entry = try cursor.next() { try body(entry) }
        }
    }

    /// Adds many entries in one transaction (imports, benchmarks); returns how many were new.
    @discardableResult
    public func addAll<S: Sequence>(_ entries: S) throws -> Int where S.Element == SuppressionEntry {
        let normalization = self.normalization
        let added = try database.pool.write { db -> Int in
            let statement = try db.makeStatement(
                sql: """
                    INSERT OR IGNORE INTO suppression (address, kind, reason, source, time, detail)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            var added = 0
            for entry in entries {
                try statement.execute(arguments: [
                    normalization.normalize(entry.address), entry.kind.rawValue, entry.reason, entry.source,
                    entry.time, entry.detail,
                ])
                added += db.changesCount
            }
            return added
        }
        try refresh()
        return added
    }
}
