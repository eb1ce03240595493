import Foundation
import GRDB
import Storage

/// Saved segments (table `segment`): a name and the JSON text of a `Segment`, checked when saved.
public struct SegmentStore: Sendable {
    let database: PetrelDatabase
    let contacts: ContactStore

    public init(database: PetrelDatabase) {
        self.database = database
        contacts = ContactStore(database: database)
    }

    /// Saves a segment. `definition` must parse as a `Segment`; when it does not, the error names the member
    /// as `definition.<path>` (`definition.and[1].op`). A taken name is `duplicate(field: "name", …)`.
    @discardableResult
    public func create(name: String, definition: String, time: Date = Date()) throws -> SavedSegment {
        let name = try ContactValidation.listName(name)
        try Self.parse(definition)
        return try database.pool.write { db in
            try Self.checkNameFree(name, db)
            try db.execute(
                sql: "INSERT INTO segment (name, definition, created, updated) VALUES (?, ?, ?, ?)",
                arguments: [name, definition, time.timeIntervalSince1970, time.timeIntervalSince1970])
            return try Self.segment(id: db.lastInsertedRowID, db)
        }
    }

    /// The segment with this id, or nil.
    public func segment(id: Int64) throws -> SavedSegment? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE id = ?", arguments: [id]).map(Self.segment)
        }
    }

    /// Every segment, by name.
    public func all() throws -> [SavedSegment] {
        try database.pool.read { db in try Row.fetchAll(db, sql: Self.select + " ORDER BY name").map(Self.segment) }
    }

    /// Renames a segment and/or replaces its definition (checked as `create` checks it).
    @discardableResult
    public func update(
        _ id: Int64, name: String? = nil, definition: String? = nil, time: Date = Date()
    ) throws -> SavedSegment {
        let name = try name.map { name throws(CampaignStoreError) in try ContactValidation.listName(name) }
        if let definition { try Self.parse(definition) }
        return try database.pool.write { db in
            var segment = try Self.segment(id: id, db)
            if let name, name != segment.name {
                try Self.checkNameFree(name, db)
                segment.name = name
            }
            if let definition { segment.definition = definition }
            try db.execute(
                sql: "UPDATE segment SET name = ?, definition = ?, updated = ? WHERE id = ?",
                arguments: [segment.name, segment.definition, time.timeIntervalSince1970, id])
            return try Self.segment(id: id, db)
        }
    }

    /// Deletes a segment.
    public func delete(_ id: Int64) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM segment WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw CampaignStoreError.notFound("segment", id) }
        }
    }

    /// How many contacts the segment matches now.
    public func count(_ id: Int64) throws -> Int {
        try contacts.count(segment: condition(id))
    }

    /// The first `limit` contacts it matches, in id order.
    public func preview(_ id: Int64, limit: Int = 10) throws -> [Contact] {
        guard (1...ContactStore.maximumPerPage).contains(limit) else {
            throw CampaignStoreError.invalid(field: "limit", reason: "must be 1 to \(ContactStore.maximumPerPage)")
        }
        var out: [Contact] = []
        try contacts.forEach(segment: condition(id), limit: limit) { out.append($0) }
        return out
    }

    /// The parsed condition of a saved segment.
    public func condition(_ id: Int64) throws -> Segment {
        guard let saved = try segment(id: id) else { throw CampaignStoreError.notFound("segment", id) }
        return try Self.parse(saved.definition)
    }

    /// Parses a definition, its errors as `invalid(field: "definition…")`.
    @discardableResult
    static func parse(_ definition: String) throws(CampaignStoreError) -> Segment {
        do {
            return try Segment(json: definition)
        } catch {
            throw .invalid(field: error.path.isEmpty ? "definition" : "definition.\(error.path)", reason: error.message)
        }
    }

    static func checkNameFree(_ name: String, _ db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM segment WHERE name = ?)", arguments: [name])
            == true
        {
            throw CampaignStoreError.duplicate(field: "name", value: name)
        }
    }

    static func segment(id: Int64, _ db: Database) throws -> SavedSegment {
        guard let row = try Row.fetchOne(db, sql: select + " WHERE id = ?", arguments: [id]) else {
            throw CampaignStoreError.notFound("segment", id)
        }
        return segment(row)
    }

    static let select = "SELECT id, name, definition, created, updated FROM segment"

    static func segment(_ row: Row) -> SavedSegment {
        SavedSegment(
            id: row[0], name: row[1], definition: row[2], created: Date(timeIntervalSince1970: row[3]),
            updated: Date(timeIntervalSince1970: row[4]))
    }
}
