import Foundation
import GRDB

/// Creating, changing and deleting single contacts (the API's contact routes).
extension ContactStore {
    /// Creates a contact, its consent record (source, IP, `time`) and its list memberships (lists created as
    /// needed), in one transaction. Throws `invalid` (naming the field), `duplicate(field: "email", …)` when
    /// the address has a contact, and `conflict` when it belonged to an erased contact and is suppressed.
    @discardableResult
    public func create(_ input: ContactInput, time: Date = Date()) throws -> Contact {
        let email = try ContactValidation.email(input.email, normalization)
        let tags = try ContactValidation.tags(input.tags)
        for name in input.fields.keys.sorted() { try ContactValidation.fieldName(name) }
        let fields = input.fields.filter { !$0.value.isEmpty }
        let lists = try ContactValidation.listNames(input.lists)
        if input.doubleOptIn, let status = input.status, status != .pending {
            throw CampaignStoreError.invalid(field: "status", reason: "a double opt-in contact starts pending")
        }
        let status = input.doubleOptIn ? .pending : input.status ?? .subscribed
        return try database.pool.write { db in
            try Self.checkAvailable(email, db)
            try db.execute(
                sql: """
                    INSERT INTO contact (email, first_name, last_name, status, tags, fields, created, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    email, input.firstName, input.lastName, status.rawValue, JSONText.array(tags),
                    JSONText.object(fields), time.timeIntervalSince1970, time.timeIntervalSince1970,
                ])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO consent (contact_id, source, ip, time) VALUES (?, ?, ?, ?)",
                arguments: [id, input.consentSource, input.consentIP, time.timeIntervalSince1970])
            try Self.join(id, lists: lists, time: time, db)
            try Self.recordTagsAdded(tags, contactID: id, time: time, db)
            guard let contact = try Self.contact(id: id, db) else { throw CampaignStoreError.notFound("contact", id) }
            return contact
        }
    }

    /// Applies a partial update (see `ContactPatch`) and returns the contact as it now is. Throws `notFound`,
    /// `invalid`, `duplicate(field: "email", …)` or `conflict` as `create` does.
    @discardableResult
    public func update(_ id: Int64, _ patch: ContactPatch, time: Date = Date()) throws -> Contact {
        let email = try patch.email.map { address throws(CampaignStoreError) in
            try ContactValidation.email(address, normalization)
        }
        let tags = try patch.tags.map { tags throws(CampaignStoreError) in try ContactValidation.tags(tags) }
        for name in (patch.fields ?? [:]).keys.sorted() { try ContactValidation.fieldName(name) }
        let lists = try patch.lists.map { names throws(CampaignStoreError) in
            try ContactValidation.listNames(names)
        }
        return try database.pool.write { db in
            guard var contact = try Self.contact(id: id, db) else { throw CampaignStoreError.notFound("contact", id) }
            if let email, email != contact.email {
                try Self.checkAvailable(email, db)
                contact.email = email
            }
            if let firstName = patch.firstName { contact.firstName = firstName }
            if let lastName = patch.lastName { contact.lastName = lastName }
            if let status = patch.status { contact.status = status }
            if let tags {
                try Self.recordTagsAdded(tags.filter { !contact.tags.contains($0) }, contactID: id, time: time, db)
                contact.tags = tags
            }
            for (name, value) in patch.fields ?? [:] {
                if let value, !value.isEmpty { contact.fields[name] = value } else { contact.fields[name] = nil }
            }
            try db.execute(
                sql: """
                    UPDATE contact SET email = ?, first_name = ?, last_name = ?, status = ?, tags = ?, fields = ?,
                        updated = ?
                    WHERE id = ?
                    """,
                arguments: [
                    contact.email, contact.firstName, contact.lastName, contact.status.rawValue,
                    JSONText.array(contact.tags), JSONText.object(contact.fields), time.timeIntervalSince1970, id,
                ])
            if let lists {
                try db.execute(sql: "DELETE FROM list_member WHERE contact_id = ?", arguments: [id])
                try Self.join(id, lists: lists, time: time, db)
            }
            guard let updated = try Self.contact(id: id, db) else { throw CampaignStoreError.notFound("contact", id) }
            return updated
        }
    }

    /// Deletes a contact and its list memberships and consent. Its campaign history (recipient rows,
    /// tracking events) stays for the statistics; `erase` removes that too.
    public func delete(_ id: Int64) throws {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM list_member WHERE contact_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM consent WHERE contact_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM contact WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw CampaignStoreError.notFound("contact", id) }
        }
    }

    /// The names of the lists each of `contactIDs` is on (sorted), in one query: a page of contacts.
    public func lists(of contactIDs: [Int64]) throws -> [Int64: [String]] {
        guard !contactIDs.isEmpty else { return [:] }
        return try database.pool.read { db in
            var lists: [Int64: [String]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT list_member.contact_id, list.name FROM list_member JOIN list ON list.id = list_member.list_id
                    WHERE list_member.contact_id IN (\(contactIDs.map(String.init).joined(separator: ",")))
                    ORDER BY list.name
                    """)
            while let row = try rows.next() { lists[row[0], default: []].append(row[1]) }
            return lists
        }
    }

    /// The names of the lists a contact is on, sorted.
    public func lists(of contactID: Int64) throws -> [String] {
        try database.pool.read { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM contact WHERE id = ?)", arguments: [contactID])
                    == true
            else { throw CampaignStoreError.notFound("contact", contactID) }
            return try String.fetchAll(
                db,
                sql: """
                    SELECT list.name FROM list_member JOIN list ON list.id = list_member.list_id
                    WHERE list_member.contact_id = ? ORDER BY list.name
                    """,
                arguments: [contactID])
        }
    }

    /// Throws when a new contact may not take `email`: another contact has it, or it was erased and is
    /// suppressed.
    static func checkAvailable(_ email: String, _ db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM contact WHERE email = ?)", arguments: [email])
            == true
        {
            throw CampaignStoreError.duplicate(field: "email", value: email)
        }
        if try isErasedSuppressed(normalized: email, db) {
            throw CampaignStoreError.conflict("email: the address of an erased contact, suppressed")
        }
    }

    /// Adds the contact to each list (created when missing).
    static func join(_ contactID: Int64, lists: [String], time: Date, _ db: Database) throws {
        for name in lists {
            let listID = try ListStore.ensure(name, time: time, db)
            try db.execute(
                sql: "INSERT OR IGNORE INTO list_member (list_id, contact_id) VALUES (?, ?)",
                arguments: [listID, contactID])
        }
    }

    /// Tags added to a contact are events (`tag_added`): automations triggered by a tag enrol from them.
    static func recordTagsAdded(_ tags: [String], contactID: Int64, time: Date, _ db: Database) throws {
        for tag in tags {
            try db.execute(
                sql: "INSERT INTO contact_event (contact_id, name, data, time) VALUES (?, 'tag_added', ?, ?)",
                arguments: [contactID, tag, time.timeIntervalSince1970])
        }
    }
}
