import Foundation
import GRDB

/// The SQLite database under the data directory (WAL mode through
/// `DatabasePool`), with Petrel's migrations applied on open.
public final class PetrelDatabase: Sendable {
    public let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-delivery-log") { db in
            try db.create(table: "delivery_log") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("time", .double).notNull()
                table.column("queue_id", .text).notNull().indexed()
                table.column("sender", .text).notNull()
                table.column("recipient", .text).notNull().indexed()
                table.column("status", .text).notNull()  // delivered, bounced, deferred, expired
                table.column("attempt", .integer)
                table.column("remote_host", .text)
                table.column("reply_code", .integer)
                table.column("enhanced_code", .text)
                table.column("reply", .text)
                table.column("reason", .text)
                table.column("hard", .boolean)
                table.column("tls", .text)
            }
        }
        migrator.registerMigration("v2-suppression") { db in
            // One row per suppressed (normalised) address; `id` grows with every insert, so another process
            // (the server) picks up new rows by reading past the highest id it has seen.
            try db.create(table: "suppression") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("address", .text).notNull().unique()
                table.column("kind", .text).notNull()  // hard-bounce, soft-bounce, complaint, unsubscribe, manual
                table.column("reason", .text).notNull()
                table.column("source", .text).notNull()
                table.column("time", .double).notNull()
                table.column("detail", .text).notNull()
            }
            try db.create(table: "soft_bounce") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("address", .text).notNull().indexed()
                table.column("time", .double).notNull()
                table.column("source", .text).notNull()
            }
        }
        migrator.registerMigration("v3-contacts") { db in
            try db.create(table: "contact") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("email", .text).notNull().unique()  // normalised (Suppression.AddressNormalization)
                table.column("first_name", .text).notNull().defaults(to: "")
                table.column("last_name", .text).notNull().defaults(to: "")
                table.column("status", .text).notNull().defaults(to: "subscribed")
                table.column("tags", .text).notNull().defaults(to: "[]")  // JSON array of strings
                table.column("fields", .text).notNull().defaults(to: "{}")  // JSON object: custom fields
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
            }
            try db.create(table: "list") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
                table.column("created", .double).notNull()
            }
            try db.create(table: "list_member") { table in
                table.column("list_id", .integer).notNull().references("list", onDelete: .cascade)
                table.column("contact_id", .integer).notNull().references("contact", onDelete: .cascade)
                table.primaryKey(["list_id", "contact_id"])
            }
            try db.create(index: "list_member_contact", on: "list_member", columns: ["contact_id"])
        }
        return migrator
    }
}
