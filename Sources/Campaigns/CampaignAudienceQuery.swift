import Foundation
import GRDB
import Storage

/// The contacts a campaign still has to go to, in id order, a batch at a time: subscribed, in the audience,
/// not excluded, and without a ledger row for this campaign.
public struct CampaignAudienceQuery: Sendable {
    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    /// Up to `limit` contacts with ids above `after`.
    public func next(campaign: Campaign, after: Int64, limit: Int) throws -> [Contact] {
        try database.pool.read { db in
            var arguments = StatementArguments()
            let condition = try Self.condition(campaign.audience, db, &arguments)
            // The ledger probe per contact is needed only where the ledger has rows above `after` (a resumed
            // or A/B campaign); a run in progress writes its rows in id order, below the next batch.
            let lastLedgered =
                try Int64.fetchOne(
                    db, sql: "SELECT MAX(contact_id) FROM campaign_recipient WHERE campaign_id = ?",
                    arguments: [campaign.id]) ?? 0
            var sql = ContactStore.select + " WHERE contact.status = 'subscribed' AND " + condition
            if lastLedgered > after {
                sql +=
                    " AND NOT EXISTS (SELECT 1 FROM campaign_recipient r WHERE r.campaign_id = ?"
                    + " AND r.contact_id = contact.id)"
                arguments += [campaign.id]
            }
            sql += " AND contact.id > ? ORDER BY contact.id LIMIT ?"
            arguments += [after, limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(ContactStore.contact)
        }
    }

    /// How many subscribed contacts the audience has (ledger or not).
    public func count(_ audience: CampaignAudience) throws -> Int {
        try database.pool.read { db in
            var arguments = StatementArguments()
            let condition = try Self.condition(audience, db, &arguments)
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM contact WHERE contact.status = 'subscribed' AND " + condition,
                arguments: arguments) ?? 0
        }
    }

    /// `(in any list OR matches any segment) AND NOT (excluded)`.
    static func condition(_ audience: CampaignAudience, _ db: Database, _ arguments: inout StatementArguments) throws
        -> String
    {
        func membership(_ lists: [String], _ segments: [Int64]) throws -> [String] {
            var parts: [String] = []
            if !lists.isEmpty {
                // A correlated EXISTS on the (list_id, contact_id) key, not `id IN (members)`: SQLite would
                // rebuild the whole member set for every batch.
                let ids = try Int64.fetchAll(
                    db,
                    sql: "SELECT id FROM list WHERE name IN ("
                        + Array(repeating: "?", count: lists.count).joined(separator: ", ") + ")",
                    arguments: StatementArguments(lists))
                parts.append(
                    ids.isEmpty
                        ? "0"
                        : "EXISTS (SELECT 1 FROM list_member m WHERE m.contact_id = contact.id AND m.list_id IN ("
                            + ids.map(String.init).joined(separator: ", ") + "))")
            }
            for id in segments {
                guard
                    let text = try String.fetchOne(
                        db, sql: "SELECT definition FROM segment WHERE id = ?", arguments: [id])
                else { throw CampaignStoreError.invalid(field: "audience.segments", reason: "no segment \(id)") }
                let segment: Segment
                do { segment = try Segment(json: text) } catch {
                    throw CampaignStoreError.invalid(field: "audience.segments", reason: "segment \(id): \(error)")
                }
                parts.append("(" + segment.sql(&arguments) + ")")
            }
            return parts
        }
        let include = try membership(audience.lists, audience.segments)
        guard !include.isEmpty else { return "0" }
        var sql = "(" + include.joined(separator: " OR ") + ")"
        let exclude = try membership(audience.excludeLists, audience.excludeSegments)
        if !exclude.isEmpty { sql += " AND NOT (" + exclude.joined(separator: " OR ") + ")" }
        return sql
    }
}
