import Foundation
import GRDB
import Storage

/// Lists of contacts (tables `list`, `list_member`): a contact may be on any number of lists; deleting a
/// list leaves its contacts in place.
public struct ListStore: Sendable {
    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    /// Creates a list; `duplicate(field: "name", …)` when the name is taken.
    @discardableResult
    public func create(name: String, time: Date = Date()) throws -> ContactList {
        let name = try ContactValidation.listName(name)
        return try database.pool.write { db in
            try Self.checkNameFree(name, db)
            try db.execute(
                sql: "INSERT INTO list (name, created) VALUES (?, ?)", arguments: [name, time.timeIntervalSince1970])
            return try Self.list(id: db.lastInsertedRowID, db)
        }
    }

    /// Every list, by name, with its member count.
    public func all() throws -> [ContactList] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: Self.select + " GROUP BY list.id ORDER BY list.name").map(Self.list)
        }
    }

    /// The list with this id, or nil.
    public func list(id: Int64) throws -> ContactList? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE list.id = ? GROUP BY list.id", arguments: [id])
                .map(Self.list)
        }
    }

    /// The list with this name, or nil.
    public func list(named name: String) throws -> ContactList? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE list.name = ? GROUP BY list.id", arguments: [name])
                .map(Self.list)
        }
    }

    /// Renames a list; `duplicate` when another list has the name.
    @discardableResult
    public func rename(_ id: Int64, to name: String) throws -> ContactList {
        let name = try ContactValidation.listName(name)
        return try database.pool.write { db in
            let current = try Self.list(id: id, db)
            if current.name == name { return current }
            try Self.checkNameFree(name, db)
            try db.execute(sql: "UPDATE list SET name = ? WHERE id = ?", arguments: [name, id])
            return try Self.list(id: id, db)
        }
    }

    /// Deletes a list and its memberships (not its contacts).
    public func delete(_ id: Int64) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM list_member WHERE list_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM list WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw CampaignStoreError.notFound("list", id) }
        }
    }

    /// Adds contacts to a list; returns how many were not on it yet. All or nothing: an unknown contact id
    /// is `invalid(field: "contact_ids[i]")` and adds none.
    @discardableResult
    public func add(_ contactIDs: [Int64], to listID: Int64) throws -> Int {
        try database.pool.write { db in
            _ = try Self.list(id: listID, db)
            let exists = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM contact WHERE id = ?)")
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO list_member (list_id, contact_id) VALUES (?, ?)")
            var added = 0
            for (offset, contactID) in contactIDs.enumerated() {
                guard try Bool.fetchOne(exists, arguments: [contactID]) == true else {
                    throw CampaignStoreError.invalid(field: "contact_ids[\(offset)]", reason: "no contact \(contactID)")
                }
                try insert.execute(arguments: [listID, contactID])
                added += db.changesCount
            }
            return added
        }
    }

    /// Takes contacts off a list; returns how many were on it. Ids not on the list are no error.
    @discardableResult
    public func remove(_ contactIDs: [Int64], from listID: Int64) throws -> Int {
        try database.pool.write { db in
            _ = try Self.list(id: listID, db)
            let delete = try db.cachedStatement(sql: "DELETE FROM list_member WHERE list_id = ? AND contact_id = ?")
            var removed = 0
            for contactID in contactIDs {
                try delete.execute(arguments: [listID, contactID])
                removed += db.changesCount
            }
            return removed
        }
    }

    /// The id of the list with this name, created when missing (imports, `ContactInput.lists`).
    static func ensure(_ name: String, time: Date, _ db: Database) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO list (name, created) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
            arguments: [name, time.timeIntervalSince1970])
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM list WHERE name = ?", arguments: [name]) else {
            throw CampaignStoreError.notFound(resource: "list", id: name)
        }
        return id
    }

    static func checkNameFree(_ name: String, _ db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM list WHERE name = ?)", arguments: [name]) == true {
            throw CampaignStoreError.duplicate(field: "name", value: name)
        }
    }

    static func list(id: Int64, _ db: Database) throws -> ContactList {
        guard
            let row = try Row.fetchOne(
                db, sql: select + " WHERE list.id = ? GROUP BY list.id", arguments: [id])
        else { throw CampaignStoreError.notFound("list", id) }
        return list(row)
    }

    static let select = """
        SELECT list.id, list.name, list.created, COUNT(list_member.contact_id) FROM list
        LEFT JOIN list_member ON list_member.list_id = list.id
        """

    static func list(_ row: Row) -> ContactList {
        ContactList(id: row[0], name: row[1], created: Date(timeIntervalSince1970: row[2]), members: row[3])
    }
}
