import Foundation
import GRDB
import Storage

/// Templates in the database (tables `template` and `template_version`, migration "v4-campaigns"). Every
/// update writes a new version; campaigns pin the version they were sent with. Only templates that compile
/// are stored.
public struct TemplateStore: Sendable {
    let database: PetrelDatabase
    let now: @Sendable () -> Date

    public init(database: PetrelDatabase, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Stores a new template as version 1. Throws ``TemplateCompileError`` when a part does not compile,
    /// ``TemplateStoreError/nameTaken(_:)`` when the name is in use.
    public func create(name: String, template: EmailTemplate) throws -> StoredTemplate {
        guard !name.isEmpty else { throw TemplateStoreError.invalid("empty template name") }
        _ = try TemplateRenderer(template)
        let time = now()
        do {
            return try database.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO template (name, version, created, updated) VALUES (?, 1, ?, ?)",
                    arguments: [name, time.timeIntervalSince1970, time.timeIntervalSince1970])
                let id = db.lastInsertedRowID
                try Self.insertVersion(db, id: id, version: 1, template: template, time: time)
                return StoredTemplate(
                    id: id, name: name, version: 1, subject: template.subject, html: template.html,
                    text: template.text, created: time, updated: time)
            }
        } catch DatabaseError.SQLITE_CONSTRAINT_UNIQUE {
            throw TemplateStoreError.nameTaken(name)
        }
    }

    /// Writes `template` as the next version (and renames the template when `name` is given).
    public func update(id: Int64, name: String? = nil, template: EmailTemplate) throws -> StoredTemplate {
        if let name, name.isEmpty { throw TemplateStoreError.invalid("empty template name") }
        _ = try TemplateRenderer(template)
        let time = now()
        do {
            return try database.pool.write { db in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT name, version, created FROM template WHERE id = ?", arguments: [id])
                else { throw TemplateStoreError.notFound(id: id) }
                let version: Int = row[1] + 1
                let newName = name ?? row[0]
                try db.execute(
                    sql: "UPDATE template SET name = ?, version = ?, updated = ? WHERE id = ?",
                    arguments: [newName, version, time.timeIntervalSince1970, id])
                try Self.insertVersion(db, id: id, version: version, template: template, time: time)
                return StoredTemplate(
                    id: id, name: newName, version: version, subject: template.subject, html: template.html,
                    text: template.text, created: Date(timeIntervalSince1970: row[2]), updated: time)
            }
        } catch DatabaseError.SQLITE_CONSTRAINT_UNIQUE {
            throw TemplateStoreError.nameTaken(name ?? "")
        }
    }

    /// The newest version, or nil.
    public func get(id: Int64) throws -> StoredTemplate? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE t.id = ? AND v.version = t.version", arguments: [id])
                .map(Self.stored)
        }
    }

    /// One version, or nil.
    public func get(id: Int64, version: Int) throws -> StoredTemplate? {
        try database.pool.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE t.id = ? AND v.version = ?", arguments: [id, version])
                .map(Self.stored)
        }
    }

    /// Every version, newest first; throws ``TemplateStoreError/notFound(id:)`` for no such template.
    public func versions(id: Int64) throws -> [StoredTemplate] {
        let versions = try database.pool.read { db in
            try Row.fetchAll(db, sql: Self.select + " WHERE t.id = ? ORDER BY v.version DESC", arguments: [id])
                .map(Self.stored)
        }
        guard !versions.isEmpty else { throw TemplateStoreError.notFound(id: id) }
        return versions
    }

    /// Templates in id order, newest versions; `page` counts from 1.
    public func list(page: Int = 1, perPage: Int = 50) throws -> StoredTemplatePage {
        guard page >= 1, perPage >= 1 else { throw TemplateStoreError.invalid("page and per_page start at 1") }
        return try database.pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM template") ?? 0
            let items = try Row.fetchAll(
                db, sql: Self.select + " WHERE v.version = t.version ORDER BY t.id LIMIT ? OFFSET ?",
                arguments: [perPage, (page - 1) * perPage]
            ).map(Self.stored)
            return StoredTemplatePage(items: items, total: total, page: page, perPage: perPage)
        }
    }

    /// Deletes the template and its versions; throws ``TemplateStoreError/inUse(id:)`` while a campaign
    /// refers to it, ``TemplateStoreError/notFound(id:)`` when there is none.
    public func delete(id: Int64) throws {
        do {
            try database.pool.write { db in
                try db.execute(sql: "DELETE FROM template WHERE id = ?", arguments: [id])
                guard db.changesCount > 0 else { throw TemplateStoreError.notFound(id: id) }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The only constraint a DELETE here can break is the campaign's foreign key. SQLite implements
            // ON DELETE RESTRICT as RAISE(ABORT) in an internal trigger, so the extended code is
            // SQLITE_CONSTRAINT_TRIGGER rather than SQLITE_CONSTRAINT_FOREIGNKEY.
            throw TemplateStoreError.inUse(id: id)
        }
    }

    private static func insertVersion(
        _ db: Database, id: Int64, version: Int, template: EmailTemplate, time: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO template_version (template_id, version, subject, html, text, created)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, version, template.subject, template.html, template.text, time.timeIntervalSince1970])
    }

    private static let select = """
        SELECT t.id, t.name, v.version, v.subject, v.html, v.text, t.created, v.created
        FROM template t JOIN template_version v ON v.template_id = t.id
        """

    private static func stored(_ row: Row) -> StoredTemplate {
        StoredTemplate(
            id: row[0], name: row[1], version: row[2], subject: row[3], html: row[4], text: row[5],
            created: Date(timeIntervalSince1970: row[6]), updated: Date(timeIntervalSince1970: row[7]))
    }
}
