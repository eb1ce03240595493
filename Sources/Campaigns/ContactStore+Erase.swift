import Foundation
import GRDB

/// Erasure (GDPR Art. 17): a contact and every trace of its address go, except a one-way mark on the
/// suppression list that keeps the address refused.
extension ContactStore {
    /// What replaces the address in free text (delivery log, suppression details, stored API responses …).
    public static let erasedText = "[erased]"

    /// Erases a contact in one transaction:
    ///
    /// - the contact row, its list memberships and consent record are deleted, and its tracking events
    ///   (with their IP addresses and user agents);
    /// - its campaign recipient rows keep their counts but lose the address (`email` becomes `""`);
    /// - its soft-bounce records are deleted; a suppression entry for the address keeps its kind and time
    ///   but its `address` becomes `ErasedAddress.hash(address)` (`sha256:<hex>`), which `create`,
    ///   `ContactImporter` and `isErasedSuppressed(_:)` look up to refuse the address again;
    /// - every other text column of every table that still mentions the address (ASCII case ignored, as a
    ///   whole address: `joann@example.com` is no mention of `ann@example.com`) has it replaced by
    ///   `[erased]`: delivery log recipients and replies, suppression details, stored API responses, and
    ///   campaign or template text as well (a campaign sent from the erased address loses its sender).
    ///
    /// The sweep reads every row of every table, so it takes a while on a large delivery log; erasures are
    /// rare. Variants of the address that normalise to it (a `+tag` when tags are folded) are not found in
    /// free text. `SuppressionStore.lookup` compares addresses, not marks: sending to an erased address is
    /// refused by the campaign side (no contact, no re-creation), not by the delivery-time check.
    public func erase(_ contactID: Int64) throws {
        try database.pool.write { db in
            guard
                let email = try String.fetchOne(
                    db, sql: "SELECT email FROM contact WHERE id = ?", arguments: [contactID])
            else { throw CampaignStoreError.notFound("contact", contactID) }
            try db.execute(sql: "DELETE FROM tracking_event WHERE contact_id = ?", arguments: [contactID])
            try db.execute(sql: "UPDATE campaign_recipient SET email = '' WHERE contact_id = ?", arguments: [contactID])
            try db.execute(sql: "DELETE FROM list_member WHERE contact_id = ?", arguments: [contactID])
            try db.execute(sql: "DELETE FROM consent WHERE contact_id = ?", arguments: [contactID])
            try db.execute(sql: "DELETE FROM contact WHERE id = ?", arguments: [contactID])
            try db.execute(sql: "DELETE FROM soft_bounce WHERE address = ?", arguments: [email])
            // A mark left by an earlier erasure of the same address gives way to this one.
            try db.execute(
                sql: "UPDATE OR REPLACE suppression SET address = ? WHERE address = ?",
                arguments: [ErasedAddress.hash(email), email])
            try Self.redactEverywhere(email, db)
        }
    }

    /// Whether `email` (normalised first) belonged to an erased contact and is suppressed: an exact lookup
    /// of `ErasedAddress.hash` on the suppression list's unique address index.
    public func isErasedSuppressed(_ email: String) throws -> Bool {
        let normalized = normalization.normalize(email)
        return try database.pool.read { db in try Self.isErasedSuppressed(normalized: normalized, db) }
    }

    static func isErasedSuppressed(normalized email: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM suppression WHERE address = ?)",
            arguments: [ErasedAddress.hash(email)]) ?? false
    }

    /// Every erasure mark on the suppression list (a range of its unique index: `;` follows `:`).
    static func erasedMarkers(_ db: Database) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db, sql: "SELECT address FROM suppression WHERE address >= ? AND address < ?",
                arguments: [ErasedAddress.prefix, "sha256;"]))
    }

    /// Replaces mentions of `address` in every text column of every table by `erasedText`.
    static func redactEverywhere(_ address: String, _ db: Database) throws {
        let needle = Array(address.utf8).map(AddressMention.lower)
        let function = DatabaseFunction("petrel_redact", argumentCount: 1, pure: true) { values in
            guard let text = String.fromDatabaseValue(values[0]) else { return values[0] }
            return AddressMention.replace(needle, in: text, with: erasedText)
        }
        db.add(function: function)
        defer { db.remove(function: function) }
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'
                    AND name != 'grdb_migrations' AND sql NOT LIKE 'CREATE VIRTUAL%'
                """)
        for table in tables {
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table.quotedDatabaseIdentifier))")
                .filter { row in
                    // Text affinity (SQLite §3.1), or none declared: either may hold text.
                    let type = (row["type"] as String? ?? "").uppercased()
                    return type.isEmpty || type.contains("TEXT") || type.contains("CHAR") || type.contains("CLOB")
                }
                .map { ($0["name"] as String).quotedDatabaseIdentifier }
            guard !columns.isEmpty else { continue }
            try db.execute(
                sql: "UPDATE \(table.quotedDatabaseIdentifier) SET "
                    + columns.map { "\($0) = petrel_redact(\($0))" }.joined(separator: ", ") + " WHERE "
                    + columns.map { "instr(lower(\($0)), :needle) > 0" }.joined(separator: " OR "),
                arguments: ["needle": String(decoding: needle, as: UTF8.self)])
        }
    }
}
