import Foundation
import GRDB
import Storage
import Suppression

/// Reads contacts back: counts, pages, streaming export.
public struct ContactStore: Sendable {
    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    /// Contacts of `list` (all when nil) that match `segment` (all when nil).
    public func count(list: String? = nil, segment: Segment? = nil) throws -> Int {
        var arguments = StatementArguments()
        let filter = Self.filter(list: list, segment: segment, &arguments)
        return try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact" + filter, arguments: arguments) ?? 0
        }
    }

    /// ` WHERE …` for a list and a segment, or nothing.
    static func filter(list: String?, segment: Segment?, _ arguments: inout StatementArguments) -> String {
        var clauses: [String] = []
        if let list {
            arguments += [list]
            clauses.append(
                "contact.id IN (SELECT contact_id FROM list_member JOIN list ON list.id = list_id WHERE list.name = ?)")
        }
        if let segment { clauses.append(segment.sql(&arguments)) }
        return clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
    }

    /// The contact with this (normalised) email.
    public func contact(email: String) throws -> Contact? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE email = ?", arguments: [email]).map(Self.contact)
        }
    }

    /// Every contact (of one list, matching a segment; at most `limit`) in id order, without loading all at
    /// once.
    public func forEach(
        list: String? = nil, segment: Segment? = nil, limit: Int? = nil, _ body: (Contact) throws -> Void
    ) throws {
        var arguments = StatementArguments()
        var sql = Self.select + Self.filter(list: list, segment: segment, &arguments) + " ORDER BY contact.id"
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        try database.pool.read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { try body(Self.contact(row)) }
        }
    }

    /// What a suppression means for the contact with that address: a complaint marks it complained, an
    /// opt-out unsubscribed, a hard or repeated soft bounce bounced; a manual entry leaves it as it is.
    /// Returns whether a contact changed.
    @discardableResult
    public func apply(_ entry: SuppressionEntry, time: Date = Date()) throws -> Bool {
        let status: ContactStatus
        switch entry.kind {
        case .complaint: status = .complained
        case .unsubscribe: status = .unsubscribed
        case .hardBounce, .softBounce: status = .bounced
        case .manual: return false
        }
        return try database.pool.write { db in
            try db.execute(
                sql: "UPDATE contact SET status = ?, updated = ? WHERE email = ? AND status != ?",
                arguments: [status.rawValue, time.timeIntervalSince1970, entry.address, status.rawValue])
            return db.changesCount > 0
        }
    }

    static let select = """
        SELECT contact.id, email, first_name, last_name, status, tags, fields, contact.created, updated FROM contact
        """

    static func contact(_ row: Row) -> Contact {
        let tags = (try? JSONDecoder().decode([String].self, from: Data((row[5] as String).utf8))) ?? []
        let fields = (try? JSONDecoder().decode([String: String].self, from: Data((row[6] as String).utf8))) ?? [:]
        return Contact(
            id: row[0], email: row[1], firstName: row[2], lastName: row[3],
            status: ContactStatus(rawValue: row[4]) ?? .subscribed, tags: tags, fields: fields,
            created: Date(timeIntervalSince1970: row[7]), updated: Date(timeIntervalSince1970: row[8]))
    }
}
