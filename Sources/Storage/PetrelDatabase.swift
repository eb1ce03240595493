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
        return migrator
    }
}
