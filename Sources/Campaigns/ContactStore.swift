import Foundation
import GRDB
import Storage
import Suppression

/// Reads contacts back: counts, pages, streaming export. Writes live in `ContactStore+Write.swift`, consent in
/// `ContactStore+Consent.swift`, erasure in `ContactStore+Erase.swift`.
public struct ContactStore: Sendable {
    let database: PetrelDatabase
    /// How addresses given to this store are normalised before they are stored or looked up: the same as
    /// the suppression list's, so that the two agree.
    public let normalization: AddressNormalization

    public init(database: PetrelDatabase, normalization: AddressNormalization = AddressNormalization()) {
        self.database = database
        self.normalization = normalization
    }

    /// Contacts of `list` (all when nil) that match `segment` (all when nil).
    public func count(list: String? = nil, segment: Segment? = nil) throws -> Int {
        var arguments = StatementArguments()
        let filter = Self.filter(list: list, segment: segment, &arguments)
        return try database.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact" + filter, arguments: arguments) ?? 0
        }
    }

    /// ` WHERE …` for a list, a segment and an email prefix, or nothing.
    static func filter(
        list: String?, segment: Segment?, emailPrefix: String? = nil, _ arguments: inout StatementArguments
    ) -> String {
        var clauses: [String] = []
        if let list {
            arguments += [list]
            clauses.append(
                "contact.id IN (SELECT contact_id FROM list_member JOIN list ON list.id = list_id WHERE list.name = ?)")
        }
        if let segment { clauses.append(segment.sql(&arguments)) }
        if let emailPrefix, !emailPrefix.isEmpty {
            // A range on the unique email index rather than LIKE, which could not use it (BINARY collation):
            // every text that starts with the prefix sorts between it and the prefix followed by U+10FFFF.
            arguments += [emailPrefix, emailPrefix + "\u{10FFFF}"]
            clauses.append("(contact.email >= ? AND contact.email < ?)")
        }
        return clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
    }

    /// The contact with this email (normalised first).
    public func contact(email: String) throws -> Contact? {
        let normalized = normalization.normalize(email)
        return try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE email = ?", arguments: [normalized]).map(Self.contact)
        }
    }

    /// The contact with this id.
    public func contact(id: Int64) throws -> Contact? {
        try database.pool.read { db in try Self.contact(id: id, db) }
    }

    static func contact(id: Int64, _ db: Database) throws -> Contact? {
        try Row.fetchOne(db, sql: Self.select + " WHERE contact.id = ?", arguments: [id]).map(Self.contact)
    }

    /// Every contact (of one list, matching a segment; at most `limit`) in id order, without loading all at
    /// once.
    public func forEach(
        list: String? = nil, segment: Segment? = nil, limit: Int? = nil, _ body: (Contact) throws -> Void
    ) throws {
        try forEach(list: list, segment: segment, limit: limit, withLists: false) { contact, _ in try body(contact) }
    }

    /// `forEach`, with the names of each contact's lists (sorted) when `withLists`.
    func forEach(
        list: String?, segment: Segment?, limit: Int?, withLists: Bool, _ body: (Contact, [String]) throws -> Void
    ) throws {
        var arguments = StatementArguments()
        var sql = Self.select
        if withLists {
            sql =
                Self.columns + """
                    , (SELECT json_group_array(name) FROM (SELECT list.name FROM list_member JOIN list ON list.id = \
                    list_member.list_id WHERE list_member.contact_id = contact.id ORDER BY list.name)) FROM contact
                    """
        }
        sql += Self.filter(list: list, segment: segment, &arguments) + " ORDER BY contact.id"
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        try database.pool.read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                let lists = withLists ? Self.strings(row[9]) : []
                try body(Self.contact(row), lists)
            }
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

    static let columns = """
        SELECT contact.id, email, first_name, last_name, status, tags, fields, contact.created, updated
        """
    static let select = columns + " FROM contact"

    static func contact(_ row: Row) -> Contact {
        Contact(
            id: row[0], email: row[1], firstName: row[2], lastName: row[3],
            status: ContactStatus(rawValue: row[4]) ?? .subscribed, tags: strings(row[5]), fields: fields(row[6]),
            created: Date(timeIntervalSince1970: row[7]), updated: Date(timeIntervalSince1970: row[8]))
    }

    /// A JSON array of strings (tags, list names); `[]` (most contacts) without a decoder.
    static func strings(_ text: String) -> [String] {
        text == "[]" ? [] : (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// A JSON object of strings (custom fields); `{}` without a decoder, and the common case — keys and values
    /// without escapes, as the importer writes them — in one pass over the bytes (campaign audiences read one
    /// per recipient); anything else through `JSONDecoder`.
    static func fields(_ text: String) -> [String: String] {
        if text == "{}" { return [:] }
        if let simple = simpleObject(text) { return simple }
        return (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
    }

    /// `{"k":"v",…}` with no backslash anywhere, or nil.
    static func simpleObject(_ text: String) -> [String: String]? {
        var text = text
        return text.withUTF8 { bytes -> [String: String]? in
            guard !bytes.contains(UInt8(ascii: "\\")) else { return nil }
            var result: [String: String] = [:]
            var index = 0
            func skipSpaces() { while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 } }
            func string() -> String? {
                skipSpaces()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
                let start = index + 1
                guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                index = end + 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            func expect(_ byte: UInt8) -> Bool {
                skipSpaces()
                guard index < bytes.count, bytes[index] == byte else { return false }
                index += 1
                return true
            }
            guard expect(UInt8(ascii: "{")) else { return nil }
            if expect(UInt8(ascii: "}")) { return index == bytes.count ? result : nil }
            while true {
                guard let key = string(), expect(UInt8(ascii: ":")), let value = string() else { return nil }
                result[key] = value
                if expect(UInt8(ascii: ",")) { continue }
                guard expect(UInt8(ascii: "}")) else { return nil }
                skipSpaces()
                return index == bytes.count ? result : nil
            }
        }
    }
}
