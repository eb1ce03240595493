import Foundation
import GRDB
import Storage

/// Automations, their runs and contact events in SQLite.
public struct AutomationStore: Sendable {
    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    /// Creates an automation; each send step gets a campaign (kind `automation`) that carries its messages.
    /// Enrolment starts from now: contacts already on the list, events already posted, do not enter.
    public func create(_ definition: AutomationDefinition, now: Date = Date()) throws -> Automation {
        guard let name = definition.name, !name.isEmpty else {
            throw CampaignStoreError.invalid(field: "name", reason: "required")
        }
        guard let trigger = definition.trigger else {
            throw CampaignStoreError.invalid(field: "trigger", reason: "required")
        }
        guard var steps = definition.steps else { throw CampaignStoreError.invalid(field: "steps", reason: "required") }
        guard let from = definition.fromAddress else {
            throw CampaignStoreError.invalid(field: "from_address", reason: "required")
        }
        return try database.pool.write { db in
            try Self.checkReferences(trigger, steps, db)
            var automation = Automation(
                id: 0, name: name, status: definition.status ?? .active, trigger: trigger, steps: [], program: [],
                goal: definition.goal, goalJSON: definition.goalJSON, allowReentry: definition.allowReentry ?? false,
                fromAddress: from, fromName: definition.fromName ?? "", postalAddress: definition.postalAddress ?? "",
                created: now, updated: now)
            try db.execute(
                sql: """
                    INSERT INTO automation (name, status, trigger, steps, goal, allow_reentry, from_address, from_name,
                    postal_address, watermark, created, updated) VALUES (?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    name, automation.status.rawValue, AutomationDefinition.text(trigger.jsonObject),
                    definition.goalJSON ?? "", automation.allowReentry, from, automation.fromName,
                    automation.postalAddress, try Self.startingWatermark(trigger, now, db),
                    now.timeIntervalSince1970, now.timeIntervalSince1970,
                ])
            automation.id = db.lastInsertedRowID
            var count = 0
            steps = try Self.attachCampaigns(steps, automation, &count, now, db)
            automation.steps = steps
            automation.program = AutomationInstruction.compile(steps)
            try db.execute(
                sql: "UPDATE automation SET steps = ? WHERE id = ?",
                arguments: [AutomationDefinition.text(steps.map(\.jsonObject)), automation.id])
            return automation
        }
    }

    /// Changes the name, status, goal, re-entry and sender defaults. Steps and the trigger are fixed once
    /// contacts have entered (their positions index the steps): create a new automation instead.
    public func update(_ id: Int64, _ definition: AutomationDefinition, now: Date = Date()) throws -> Automation {
        try database.pool.write { db in
            var automation = try Self.fetch(id, db)
            if definition.steps != nil || definition.trigger != nil {
                let runs =
                    try Int.fetchOne(
                        db, sql: "SELECT COUNT(*) FROM automation_run WHERE automation_id = ?", arguments: [id]) ?? 0
                guard runs == 0 else {
                    throw CampaignStoreError.conflict(
                        "automation \(id) has runs: its trigger and steps no longer change (create another)")
                }
            }
            if let name = definition.name {
                guard !name.isEmpty else {
                    throw CampaignStoreError.invalid(field: "name", reason: "must not be empty")
                }
                automation.name = name
            }
            if let status = definition.status { automation.status = status }
            if definition.removesGoal { (automation.goal, automation.goalJSON) = (nil, nil) }
            if let goal = definition.goal { (automation.goal, automation.goalJSON) = (goal, definition.goalJSON) }
            if let reentry = definition.allowReentry { automation.allowReentry = reentry }
            if let from = definition.fromAddress { automation.fromAddress = from }
            if let name = definition.fromName { automation.fromName = name }
            if let postal = definition.postalAddress { automation.postalAddress = postal }
            if let trigger = definition.trigger {
                try Self.checkReferences(trigger, definition.steps ?? automation.steps, db)
                automation.trigger = trigger
                try db.execute(
                    sql: "UPDATE automation SET trigger = ?, watermark = ? WHERE id = ?",
                    arguments: [
                        AutomationDefinition.text(trigger.jsonObject), try Self.startingWatermark(trigger, now, db), id,
                    ])
            }
            if let steps = definition.steps {
                try Self.checkReferences(automation.trigger, steps, db)
                var count = 0
                automation.steps = try Self.attachCampaigns(steps, automation, &count, now, db)
                automation.program = AutomationInstruction.compile(automation.steps)
            }
            automation.updated = now
            try db.execute(
                sql: """
                    UPDATE automation SET name = ?, status = ?, steps = ?, goal = ?, allow_reentry = ?, from_address = ?,
                    from_name = ?, postal_address = ?, updated = ? WHERE id = ?
                    """,
                arguments: [
                    automation.name, automation.status.rawValue,
                    AutomationDefinition.text(automation.steps.map(\.jsonObject)), automation.goalJSON ?? "",
                    automation.allowReentry, automation.fromAddress, automation.fromName, automation.postalAddress,
                    now.timeIntervalSince1970, id,
                ])
            return automation
        }
    }

    public func get(_ id: Int64) throws -> Automation {
        try database.pool.read { db in try Self.fetch(id, db) }
    }

    public func all() throws -> [Automation] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: Self.select + " ORDER BY id").map(Self.automation)
        }
    }

    public func delete(_ id: Int64) throws {
        try database.pool.write { db in
            _ = try Self.fetch(id, db)
            try db.execute(sql: "DELETE FROM automation WHERE id = ?", arguments: [id])
        }
    }

    /// Runs per state and, for active runs, per step position.
    public func progress(_ id: Int64) throws -> (states: [String: Int], positions: [Int: Int], steps: Int) {
        try database.pool.read { db in
            var states: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT state, COUNT(*) FROM automation_run WHERE automation_id = ? GROUP BY state",
                arguments: [id])
            {
                states[row[0]] = row[1]
            }
            var positions: [Int: Int] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT position, COUNT(*) FROM automation_run WHERE automation_id = ? AND state = 'active'
                    GROUP BY position
                    """, arguments: [id])
            {
                positions[row[0]] = row[1]
            }
            let steps =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM automation_step_log WHERE automation_id = ?", arguments: [id])
                ?? 0
            return (states, positions, steps)
        }
    }

    /// A contact's runs of an automation, with their step history (oldest first).
    public func runs(automationID: Int64, contactID: Int64) throws -> [(run: AutomationRun, log: [AutomationLogEntry])]
    {
        try database.pool.read { db in
            try Row.fetchAll(
                db, sql: AutomationEngine.runSelect + " WHERE automation_id = ? AND contact_id = ? ORDER BY id",
                arguments: [automationID, contactID]
            ).map(AutomationEngine.run).map { run in
                let log = try Row.fetchAll(
                    db,
                    sql: "SELECT position, step, detail, time FROM automation_step_log WHERE run_id = ? ORDER BY id",
                    arguments: [run.id]
                ).map { row in
                    AutomationLogEntry(
                        position: row[0], step: row[1], detail: row[2], time: Date(timeIntervalSince1970: row[3]))
                }
                return (run, log)
            }
        }
    }

    /// Records a custom event for a contact (`POST /api/v1/events`); flows triggered by it enrol the contact.
    @discardableResult
    public func recordEvent(contactID: Int64, name: String, data: String = "", time: Date = Date()) throws -> Int64 {
        guard !name.isEmpty, name.count <= 100 else {
            throw CampaignStoreError.invalid(field: "event", reason: "a name of 1 to 100 characters")
        }
        return try database.pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM contact WHERE id = ?", arguments: [contactID]) != nil else {
                throw CampaignStoreError.notFound("contact", contactID)
            }
            try db.execute(
                sql: "INSERT INTO contact_event (contact_id, name, data, time) VALUES (?, ?, ?, ?)",
                arguments: [contactID, name, data, time.timeIntervalSince1970])
            return db.lastInsertedRowID
        }
    }

    // MARK: - Rows

    static let select = """
        SELECT id, name, status, trigger, steps, goal, allow_reentry, from_address, from_name, postal_address, created,
        updated FROM automation
        """

    static func fetch(_ id: Int64, _ db: Database) throws -> Automation {
        guard let row = try Row.fetchOne(db, sql: select + " WHERE id = ?", arguments: [id]) else {
            throw CampaignStoreError.notFound("automation", id)
        }
        return try automation(row)
    }

    static func automation(_ row: Row) throws -> Automation {
        // Stored by `create` from parsed values: they parse again.
        let definition = try AutomationDefinition(
            json: "{\"trigger\": \(row[3] as String), \"steps\": \(row[4] as String)"
                + ((row[5] as String).isEmpty ? "" : ", \"goal\": \(row[5] as String)") + "}")
        let steps = definition.steps ?? []
        return Automation(
            id: row[0], name: row[1], status: AutomationStatus(rawValue: row[2]) ?? .paused,
            trigger: definition.trigger ?? .event(name: ""), steps: steps,
            program: AutomationInstruction.compile(steps),
            goal: definition.goal, goalJSON: definition.goalJSON, allowReentry: row[6], fromAddress: row[7],
            fromName: row[8], postalAddress: row[9], created: Date(timeIntervalSince1970: row[10]),
            updated: Date(timeIntervalSince1970: row[11]))
    }

    /// Where enrolment starts: after what exists now.
    static func startingWatermark(_ trigger: AutomationTrigger, _ now: Date, _ db: Database) throws -> Double {
        switch trigger {
        case .listSubscribed:
            return Double(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(rowid), 0) FROM list_member") ?? 0)
        case .event, .tagAdded:
            return Double(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM contact_event") ?? 0)
        case .campaignOpened, .campaignClicked, .campaignNotOpened:
            return 0  // every engagement of the campaign counts, also earlier ones
        case .date:
            return 0  // the last day checked (days since 1970)
        }
    }

    static func checkReferences(_ trigger: AutomationTrigger, _ steps: [AutomationStep], _ db: Database) throws {
        func listExists(_ name: String) throws -> Bool {
            try Bool.fetchOne(db, sql: "SELECT 1 FROM list WHERE name = ?", arguments: [name]) != nil
        }
        switch trigger {
        case .listSubscribed(let list):
            guard try listExists(list) else {
                throw CampaignStoreError.invalid(field: "trigger.list", reason: "no list \"\(list)\"")
            }
        case .campaignOpened(let id), .campaignClicked(let id), .campaignNotOpened(let id, _):
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM campaign WHERE id = ?", arguments: [id]) != nil else {
                throw CampaignStoreError.invalid(field: "trigger.campaign_id", reason: "no campaign \(id)")
            }
        case .event, .tagAdded, .date:
            break
        }
        func check(_ steps: [AutomationStep], _ path: String) throws {
            for (index, step) in steps.enumerated() {
                let here = "\(path)[\(index)]"
                switch step {
                case .send(let send):
                    guard
                        try Bool.fetchOne(db, sql: "SELECT 1 FROM template WHERE id = ?", arguments: [send.templateID])
                            != nil
                    else {
                        throw CampaignStoreError.invalid(
                            field: "\(here).template_id", reason: "no template \(send.templateID)")
                    }
                case .addToList(let list), .removeFromList(let list):
                    guard try listExists(list) else {
                        throw CampaignStoreError.invalid(field: "\(here).add", reason: "no list \"\(list)\"")
                    }
                case .branch(_, let then, let otherwise):
                    try check(then, "\(here).then")
                    try check(otherwise, "\(here).else")
                default:
                    break
                }
            }
        }
        try check(steps, "steps")
    }

    /// Send steps without a campaign get one (kind `automation`, status `sent`: never run by the campaign
    /// runner); the step's subject is applied when its messages are rendered.
    static func attachCampaigns(
        _ steps: [AutomationStep], _ automation: Automation, _ count: inout Int, _ now: Date, _ db: Database
    ) throws -> [AutomationStep] {
        try steps.map { step in
            switch step {
            case .send(var send):
                count += 1
                if send.campaignID == 0 {
                    var campaign = Campaign(
                        id: 0, name: "\(automation.name) — step \(count)", status: .sent, templateID: send.templateID,
                        templateVersion: nil, fromAddress: send.fromAddress ?? automation.fromAddress,
                        fromName: send.fromName ?? automation.fromName, replyTo: "", sendingDomain: "",
                        postalAddress: automation.postalAddress, audience: CampaignAudience(), data: [:], sendAt: nil,
                        recurrence: .none, parentID: nil, created: now, updated: now, started: now, finished: nil)
                    try CampaignStore.insert(&campaign, db)
                    try db.execute(
                        sql: "UPDATE campaign SET kind = 'automation' WHERE id = ?", arguments: [campaign.id])
                    send.campaignID = campaign.id
                }
                return .send(send)
            case .branch(let condition, let then, let otherwise):
                return .branch(
                    condition, then: try attachCampaigns(then, automation, &count, now, db),
                    otherwise: try attachCampaigns(otherwise, automation, &count, now, db))
            default:
                return step
            }
        }
    }
}

/// One step a run went through.
public struct AutomationLogEntry: Sendable, Hashable {
    public var position: Int
    public var step: String
    public var detail: String
    public var time: Date
}
