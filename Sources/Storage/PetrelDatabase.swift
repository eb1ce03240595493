import Foundation
import GRDB
import Webhooks

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
        migrator.registerMigration("v4-campaigns") { db in
            try db.create(table: "consent") { table in
                table.primaryKey("contact_id", .integer).references("contact", onDelete: .cascade)
                table.column("source", .text).notNull()  // api, import, form, double-opt-in …
                table.column("ip", .text).notNull().defaults(to: "")
                table.column("time", .double).notNull()
                table.column("confirmed", .double)  // double opt-in: when the link was followed
            }
            try db.create(table: "segment") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
                table.column("definition", .text).notNull()  // JSON condition tree (Campaigns.Segment)
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
            }
            try db.create(table: "template") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
                table.column("version", .integer).notNull()  // the newest version
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
            }
            try db.create(table: "template_version") { table in
                table.column("template_id", .integer).notNull().references("template", onDelete: .cascade)
                table.column("version", .integer).notNull()
                table.column("subject", .text).notNull()
                table.column("html", .text).notNull()
                table.column("text", .text).notNull()
                table.column("created", .double).notNull()
                table.primaryKey(["template_id", "version"])
            }
            try db.create(table: "campaign") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                // draft, scheduled, sending, paused, sent, cancelled
                table.column("status", .text).notNull().defaults(to: "draft")
                table.column("template_id", .integer).references("template", onDelete: .restrict)
                table.column("template_version", .integer)  // pinned when the campaign is sent
                table.column("from_address", .text).notNull()
                table.column("from_name", .text).notNull().defaults(to: "")
                table.column("reply_to", .text).notNull().defaults(to: "")
                table.column("sending_domain", .text).notNull().defaults(to: "")
                table.column("postal_address", .text).notNull().defaults(to: "")
                table.column("audience", .text).notNull().defaults(to: "{}")  // JSON: lists, segments, exclusions
                table.column("data", .text).notNull().defaults(to: "{}")  // JSON: campaign variables
                table.column("send_at", .double)
                table.column("recurrence", .text).notNull().defaults(to: "")  // "", daily, weekly, monthly
                table.column("parent_id", .integer)  // the recurring campaign this run came from
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
                table.column("started", .double)
                table.column("finished", .double)
            }
            // The per-recipient ledger: one row per (campaign, contact), written before the message is
            // spooled ("pending") and marked "queued" once it is on stable storage; resume and recovery
            // read it so that nobody is mailed twice.
            try db.create(table: "campaign_recipient") { table in
                table.column("campaign_id", .integer).notNull().references("campaign", onDelete: .cascade)
                table.column("contact_id", .integer).notNull()
                table.column("email", .text).notNull()
                table.column("queue_id", .text).notNull()
                // pending, queued, delivered, bounced, failed
                table.column("status", .text).notNull()
                table.column("variant", .text).notNull().defaults(to: "")
                table.column("queued", .double)
                table.column("delivered", .double)
                table.column("bounced", .double)
                table.column("hard", .boolean)
                table.column("opened", .double)  // first human open
                table.column("clicked", .double)  // first human click
                table.column("unsubscribed", .double)
                table.column("complained", .double)
                table.primaryKey(["campaign_id", "contact_id"])
            }
            try db.create(index: "campaign_recipient_queue", on: "campaign_recipient", columns: ["queue_id"])
            try db.create(
                index: "campaign_recipient_status", on: "campaign_recipient", columns: ["campaign_id", "status"])
            try db.create(table: "tracking_event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("campaign_id", .integer).notNull()
                table.column("contact_id", .integer).notNull()
                table.column("kind", .text).notNull()  // open, click, unsubscribe, complaint
                table.column("link", .text).notNull().defaults(to: "")
                table.column("machine", .boolean).notNull().defaults(to: false)
                table.column("machine_reason", .text).notNull().defaults(to: "")
                table.column("user_agent", .text).notNull().defaults(to: "")
                table.column("ip", .text).notNull().defaults(to: "")
                table.column("time", .double).notNull()
            }
            try db.create(index: "tracking_event_campaign", on: "tracking_event", columns: ["campaign_id", "kind"])
            try db.create(index: "tracking_event_contact", on: "tracking_event", columns: ["contact_id", "kind"])
            try db.create(table: "api_key") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull().unique()
                table.column("prefix", .text).notNull()  // the first characters, to tell keys apart
                table.column("hash", .text).notNull().unique()  // SHA-256 of the key, hex
                table.column("scopes", .text).notNull()  // comma-separated: all, contacts, campaigns, messages …
                table.column("created", .double).notNull()
            }
            try db.create(table: "idempotency") { table in
                table.column("key", .text).notNull()
                table.column("api_key_id", .integer).notNull()
                table.column("status", .integer).notNull()
                table.column("response", .text).notNull()
                table.column("created", .double).notNull()
                table.primaryKey(["key", "api_key_id"])
            }
        }
        migrator.registerMigration("v5-ab-tests") { db in
            // JSON of the campaign's ABTest and ABState; '' when the campaign is no A/B test.
            try db.alter(table: "campaign") { table in
                table.add(column: "ab_test", .text).notNull().defaults(to: "")
                table.add(column: "ab_state", .text).notNull().defaults(to: "")
            }
        }
        migrator.registerMigration("v6-automations") { db in
            // Campaigns that carry an automation's send steps are kind 'automation': not listed, not sent by
            // the campaign runner, but tracked and counted like any campaign.
            try db.alter(table: "campaign") { table in
                table.add(column: "kind", .text).notNull().defaults(to: "campaign")
            }
            try db.create(table: "automation") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                table.column("status", .text).notNull()  // active, paused
                table.column("trigger", .text).notNull()  // JSON
                table.column("steps", .text).notNull()  // JSON, as the API gives them, with campaign ids
                table.column("goal", .text).notNull().defaults(to: "")  // segment JSON, '' for none
                table.column("allow_reentry", .boolean).notNull().defaults(to: false)
                table.column("from_address", .text).notNull()
                table.column("from_name", .text).notNull().defaults(to: "")
                table.column("postal_address", .text).notNull().defaults(to: "")
                // Enrolment progress: the last list_member rowid or contact_event id seen, or the last
                // engagement time or day checked, by trigger type.
                table.column("watermark", .double).notNull().defaults(to: 0)
                table.column("created", .double).notNull()
                table.column("updated", .double).notNull()
            }
            try db.create(table: "automation_run") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("automation_id", .integer).notNull().references("automation", onDelete: .cascade)
                table.column("contact_id", .integer).notNull().references("contact", onDelete: .cascade)
                table.column("entry", .text).notNull().defaults(to: "")  // '' once per contact, else the occasion
                table.column("position", .integer).notNull()
                table.column("state", .text).notNull()  // active, done, exited
                table.column("waiting", .boolean).notNull().defaults(to: false)
                table.column("wake_at", .double).notNull()
                table.column("pending_queue_id", .text)
                table.column("last_campaign_id", .integer)
                table.column("exit_reason", .text).notNull().defaults(to: "")
                table.column("entered", .double).notNull()
                table.column("updated", .double).notNull()
                table.uniqueKey(["automation_id", "contact_id", "entry"])
            }
            try db.create(index: "automation_run_due", on: "automation_run", columns: ["state", "wake_at"])
            try db.create(table: "automation_step_log") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("run_id", .integer).notNull().references("automation_run", onDelete: .cascade)
                table.column("automation_id", .integer).notNull()
                table.column("contact_id", .integer).notNull()
                table.column("position", .integer).notNull()
                table.column("step", .text).notNull()
                table.column("detail", .text).notNull().defaults(to: "")
                table.column("time", .double).notNull()
            }
            try db.create(index: "automation_step_log_run", on: "automation_step_log", columns: ["run_id"])
            try db.create(table: "contact_event") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("contact_id", .integer).notNull().references("contact", onDelete: .cascade)
                table.column("name", .text).notNull()  // a custom event's name, or tag_added
                table.column("data", .text).notNull().defaults(to: "")
                table.column("time", .double).notNull()
            }
            try db.create(index: "contact_event_name", on: "contact_event", columns: ["name", "id"])
        }
        WebhookSchema.register(in: &migrator)
        // The ledger's status index held every row, and each row moved in it twice (written pending, then
        // queued); only pending rows are ever looked up by status (settling), and they are few at any time.
        migrator.registerMigration("v8-ledger-pending-index") { db in
            try db.execute(sql: "DROP INDEX campaign_recipient_status")
            try db.execute(
                sql:
                    "CREATE INDEX campaign_recipient_pending ON campaign_recipient (campaign_id) WHERE status = 'pending'"
            )
        }
        return migrator
    }
}
