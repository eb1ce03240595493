import Foundation
import GRDB

/// Enrolment: who enters a flow, from its trigger's source since the automation's watermark.
extension AutomationEngine {
    /// Enters the contacts the trigger fired for since the watermark; returns how many entered.
    func enrol(_ automation: Automation, now: Date) throws -> Int {
        let id = automation.id
        let time = now.timeIntervalSince1970
        // `entry`: '' enters a contact once; with re-entry allowed, the occasion (event id, membership, year).
        let reentry = automation.allowReentry
        return try database.pool.write { db -> Int in
            let watermark =
                try Double.fetchOne(db, sql: "SELECT watermark FROM automation WHERE id = ?", arguments: [id]) ?? 0
            // Contacts must be subscribed to enter; a flow that a contact already runs is not entered twice at
            // once even with re-entry allowed.
            func run(_ entry: String, _ source: String, _ sourceArguments: StatementArguments) throws -> Int {
                var arguments: StatementArguments = [id, time, time, time]
                arguments += sourceArguments
                arguments += [id]
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO automation_run (automation_id, contact_id, entry, position, state, wake_at,
                        entered, updated)
                        SELECT ?, c.id, \(reentry ? entry : "''"), 0, 'active', ?, ?, ? FROM \(source)
                        JOIN contact c ON c.id = src.contact_id AND c.status = 'subscribed'
                        WHERE NOT EXISTS (SELECT 1 FROM automation_run r WHERE r.automation_id = ?
                        AND r.contact_id = c.id AND r.state = 'active')
                        """, arguments: arguments)
                return db.changesCount
            }
            var entered = 0
            var next = watermark
            switch automation.trigger {
            case .listSubscribed(let list):
                let high =
                    try Int64.fetchOne(
                        db,
                        sql: """
                            SELECT MAX(m.rowid) FROM list_member m JOIN list l ON l.id = m.list_id
                            WHERE m.rowid > ? AND l.name = ?
                            """, arguments: [Int64(watermark), list]) ?? Int64(watermark)
                if Double(high) > watermark {
                    entered = try run(
                        "'l' || src.rowid",
                        "(SELECT m.rowid AS rowid, m.contact_id FROM list_member m JOIN list l ON l.id = m.list_id "
                            + "WHERE m.rowid > ? AND m.rowid <= ? AND l.name = ?) src",
                        [Int64(watermark), high, list])
                    next = Double(high)
                }
            case .event(let name), .tagAdded(let name):
                var eventName = name
                var data: String?
                if case .tagAdded = automation.trigger { (eventName, data) = ("tag_added", name) }
                let high =
                    try Int64.fetchOne(
                        db, sql: "SELECT MAX(id) FROM contact_event WHERE name = ? AND id > ?",
                        arguments: [eventName, Int64(watermark)]) ?? Int64(watermark)
                if Double(high) > watermark {
                    entered = try run(
                        "'e' || src.id",
                        "(SELECT id, contact_id FROM contact_event WHERE name = ? AND id > ? AND id <= ?"
                            + (data == nil ? "" : " AND data = ?") + ") src",
                        data.map { [eventName, Int64(watermark), high, $0] as StatementArguments }
                            ?? [eventName, Int64(watermark), high])
                    next = Double(high)
                }
            case .campaignOpened(let campaign), .campaignClicked(let campaign):
                let column = if case .campaignOpened = automation.trigger { "opened" } else { "clicked" }
                let high =
                    try Double.fetchOne(
                        db,
                        sql: "SELECT MAX(\(column)) FROM campaign_recipient WHERE campaign_id = ? AND \(column) > ?",
                        arguments: [campaign, watermark]) ?? watermark
                if high > watermark {
                    entered = try run(
                        "'c\(campaign)'",
                        "(SELECT contact_id FROM campaign_recipient WHERE campaign_id = ? AND \(column) > ? "
                            + "AND \(column) <= ?) src", [campaign, watermark, high])
                    next = high
                }
            case .campaignNotOpened(let campaign, let after):
                // Sent at least `after` ago, since the watermark, and not opened.
                let until = time - after
                if until > watermark {
                    entered = try run(
                        "'n\(campaign)'",
                        "(SELECT contact_id FROM campaign_recipient WHERE campaign_id = ? AND status != 'pending' "
                            + "AND queued > ? AND queued <= ? AND opened IS NULL) src", [campaign, watermark, until])
                    next = until
                }
            case .date(let field, let secondOfDay):
                let day = (time / 86_400).rounded(.down)
                let secondsToday = time - day * 86_400
                if day > watermark, secondsToday >= Double(secondOfDay) {
                    let date = Date(timeIntervalSince1970: day * 86_400)
                    var calendar = Calendar(identifier: .gregorian)
                    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
                    let parts = calendar.dateComponents([.year, .month, .day], from: date)
                    let monthDay = String(format: "%02d-%02d", parts.month ?? 1, parts.day ?? 1)
                    entered = try run(
                        "'y\(parts.year ?? 0)'",
                        "(SELECT id AS contact_id FROM contact WHERE json_extract(fields, ?) LIKE ?) src",
                        ["$.\"\(field)\"", "%" + monthDay])
                    next = day
                }
            }
            if next != watermark {
                try db.execute(sql: "UPDATE automation SET watermark = ? WHERE id = ?", arguments: [next, id])
            }
            return entered
        }
    }
}
