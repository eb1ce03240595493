import GRDB

/// The webhook tables, added to Petrel's database as one migration.
///
/// Registered by the owner of the migrator (`PetrelDatabase`) after its own migrations, so the order of
/// migrations stays in one place: `WebhookSchema.register(in: &migrator)`.
public enum WebhookSchema {
    /// The migration's identifier; GRDB records it in `grdb_migrations` and never runs it twice.
    public static let migrationName = "v7-webhooks"

    public static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration(migrationName) { db in
            try db.create(table: "webhook") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("url", .text).notNull()
                table.column("events", .text).notNull()  // JSON array of WebhookEvent raw values
                table.column("secret", .text).notNull()
                table.column("active", .boolean).notNull().defaults(to: true)
                table.column("description", .text).notNull().defaults(to: "")
                table.column("created", .double).notNull()
            }
            try db.create(table: "webhook_delivery") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("webhook_id", .integer).notNull().references("webhook", onDelete: .cascade)
                table.column("event", .text).notNull()
                table.column("payload", .text).notNull()  // the exact body of every attempt
                table.column("status", .text).notNull()  // pending, delivered, failed
                table.column("attempts", .integer).notNull().defaults(to: 0)
                table.column("next_attempt", .double).notNull()
                table.column("last_status", .integer)
                table.column("last_error", .text)
                table.column("created", .double).notNull()
                table.column("finished", .double)
            }
            // The worker's only query: due pending rows, oldest first.
            try db.create(
                index: "webhook_delivery_due", on: "webhook_delivery", columns: ["status", "next_attempt"])
            // Listing a webhook's deliveries, and the cascade when a webhook is deleted.
            try db.create(index: "webhook_delivery_webhook", on: "webhook_delivery", columns: ["webhook_id"])
            try db.create(table: "webhook_attempt") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("delivery_id", .integer).notNull().references("webhook_delivery", onDelete: .cascade)
                table.column("time", .double).notNull()
                table.column("status_code", .integer)
                table.column("error", .text)
                table.column("duration", .double).notNull()
            }
            try db.create(index: "webhook_attempt_delivery", on: "webhook_attempt", columns: ["delivery_id"])
        }
    }
}
