import Foundation
import GRDB
import Logging
import Storage

/// Moves contacts through automations: enrols those a trigger fired for, then advances every run that is
/// due, step by step, until it waits, ends or exits. Driven by `tick(now:)` from a scheduler whose clock
/// tests control (a wait of two days passes when the clock says so).
///
/// Each step's effect and the run's new position are written in one transaction, so a restart neither
/// loses nor repeats a step. A send is the exception that needs two: the message's ledger row and the
/// run's pending queue id are written before the message is spooled, the position after; at start-up the
/// ledger is settled against the spool (as for campaigns), and a run with a pending send finds its row
/// queued (advance) or gone (send again) — never two messages, never none.
public actor AutomationEngine {
    public struct Hooks: Sendable {
        /// Calls a webhook step's URL with the run's data (nil: webhook steps are logged and skipped).
        public var callWebhook: (@Sendable (_ url: String, _ data: [String: String]) async throws -> Void)?
        /// After each step a run completes (for `automation_step_done` webhooks).
        public var stepDone: (@Sendable (_ automation: Automation, _ run: AutomationRun, _ step: String) -> Void)?
        /// Whether an address may be mailed (false: suppressed).
        public var isSuppressed: @Sendable (String) -> Bool = { _ in false }
        public init() {}
    }

    let database: PetrelDatabase
    let composer: any CampaignComposer
    let sink: any CampaignMessageSink
    let hooks: Hooks
    let logger: Logger
    private let prepared = PreparedCache()
    private let writes: WriteBatcher
    /// Runs advanced at once: their sends share the spool's fsyncs (group commit).
    static let concurrency = 64

    public init(
        database: PetrelDatabase, composer: any CampaignComposer, sink: any CampaignMessageSink, hooks: Hooks = Hooks(),
        logger: Logger = Logger(label: "petrel.automation")
    ) {
        self.database = database
        self.composer = composer
        self.sink = sink
        self.writes = WriteBatcher(database: database)
        self.hooks = hooks
        self.logger = logger
    }

    /// Enrols and advances everything due at `now`; returns how many contacts entered and how many steps ran.
    @discardableResult
    public func tick(now: Date) async -> (entered: Int, steps: Int) {
        var entered = 0
        var steps = 0
        do {
            let automations = try AutomationStore(database: database).all().filter { $0.status == .active }
            for automation in automations { entered += try enrol(automation, now: now) }
            let byID = Dictionary(uniqueKeysWithValues: automations.map { ($0.id, $0) })
            while true {
                let due = try dueRuns(now: now, limit: 500)
                var progressed = false
                for start in stride(from: 0, to: due.count, by: Self.concurrency) {
                    let slice = due[start..<min(due.count, start + Self.concurrency)]
                    let counts = await withTaskGroup(of: Int.self) { group in
                        for run in slice {
                            guard let automation = byID[run.automationID] else { continue }
                            group.addTask { await self.advanceOrPark(run, automation, now: now) }
                        }
                        var counts: [Int] = []
                        for await count in group { counts.append(count) }
                        return counts
                    }
                    steps += counts.reduce(0, +)
                    if counts.contains(where: { $0 > 0 }) { progressed = true }
                }
                if due.count < 500 || !progressed { break }
            }
        } catch {
            logger.error("automation tick: \(error)")
        }
        return (entered, steps)
    }

    // MARK: - Advancing

    static let runSelect = """
        SELECT id, automation_id, contact_id, position, state, waiting, wake_at, pending_queue_id, last_campaign_id,
        exit_reason, entered, updated FROM automation_run
        """

    static func run(_ row: Row) -> AutomationRun {
        AutomationRun(
            id: row[0], automationID: row[1], contactID: row[2], position: row[3],
            state: AutomationRun.State(rawValue: row[4]) ?? .active, waiting: row[5],
            wakeAt: Date(timeIntervalSince1970: row[6]), pendingQueueID: row[7], lastCampaignID: row[8],
            exitReason: row[9], entered: Date(timeIntervalSince1970: row[10]),
            updated: Date(timeIntervalSince1970: row[11]))
    }

    func dueRuns(now: Date, limit: Int) throws -> [AutomationRun] {
        try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: Self.runSelect
                    + " WHERE state = 'active' AND wake_at <= ? AND automation_id IN "
                    + "(SELECT id FROM automation WHERE status = 'active') ORDER BY wake_at, id LIMIT ?",
                arguments: [now.timeIntervalSince1970, limit]
            ).map(Self.run)
        }
    }

    /// ``advance(_:_:now:)``; on an error the run is logged and tried again in a minute.
    nonisolated func advanceOrPark(_ run: AutomationRun, _ automation: Automation, now: Date) async -> Int {
        do {
            return try await advance(run, automation, now: now)
        } catch {
            logger.error("automation \(automation.id) run \(run.id): \(error)")
            var failed = run
            try? await park(&failed, until: now.addingTimeInterval(60), now: now, waiting: run.waiting)
            return 0
        }
    }

    /// Runs steps of one run until it waits, ends or exits; returns the number of steps completed.
    nonisolated func advance(_ start: AutomationRun, _ automation: Automation, now: Date) async throws -> Int {
        var run = start
        var steps = 0
        let program = automation.program
        guard let contact = try ContactStore(database: database).contact(id: run.contactID) else { return 0 }
        // Exit conditions, checked whenever the run wakes: unsubscribed (or bounced, complained), or the goal.
        if contact.status != .subscribed {
            try await finish(&run, .exited, reason: contact.status.rawValue, now: now)
            return 0
        }
        if let goal = automation.goal, try matches(goal, contact.id ?? 0) {
            try await finish(&run, .exited, reason: "goal", now: now)
            return 0
        }
        while run.position < program.count, steps < 10_000 {
            let instruction = program[run.position]
            var next = run.position + 1
            var name = ""
            var detail = ""
            // A step's change to the contact, written with the run's new position in one savepoint.
            var effect: (@Sendable (Database) throws -> Void)?
            let contactID = contact.id ?? 0
            switch instruction {
            case .send(let send):
                guard try await sendStep(send, automation, contact, &run, now: now) else { return steps }
                name = "send"
                detail = "campaign \(send.campaignID)"
            case .wait(let seconds):
                if !run.waiting {
                    try await park(&run, until: now.addingTimeInterval(seconds), now: now)
                    return steps
                }
                name = "wait"
            case .waitUntil(let date):
                if !run.waiting, date > now {
                    try await park(&run, until: date, now: now)
                    return steps
                }
                name = "wait"
            case .branch(let condition, let otherwise):
                let holds = try evaluate(condition, run, contact)
                if !holds { next = otherwise }
                name = "branch"
                detail = holds ? "then" : "else"
            case .jump(let target):
                run.position = target
                continue
            case .addTag(let tag), .removeTag(let tag):
                let adding = if case .addTag = instruction { true } else { false }
                effect = { db in try Self.changeTag(tag, adding: adding, contactID, now: now, db) }
                name = adding ? "tag added" : "tag removed"
                detail = tag
            case .addToList(let list), .removeFromList(let list):
                let adding = if case .addToList = instruction { true } else { false }
                effect = { db in
                    try db.execute(
                        sql: adding
                            ? "INSERT OR IGNORE INTO list_member (list_id, contact_id) SELECT id, ? FROM list WHERE name = ?"
                            : "DELETE FROM list_member WHERE contact_id = ? AND list_id IN (SELECT id FROM list WHERE name = ?)",
                        arguments: [contactID, list])
                }
                name = adding ? "list added" : "list removed"
                detail = list
            case .webhook(let url):
                try await webhookStep(url, automation, contact, run)
                name = "webhook"
                detail = url
            }
            run.waiting = false
            try await step(&run, to: next, name: name, detail: detail, now: now, effect: effect)
            steps += 1
            hooks.stepDone?(automation, run, name)
        }
        if run.position >= program.count { try await finish(&run, .done, reason: "", now: now) }
        return steps
    }

    /// Moves the run to `position`, logs the step done and applies its `effect`, in one savepoint of a
    /// shared commit.
    private nonisolated func step(
        _ run: inout AutomationRun, to position: Int, name: String, detail: String, now: Date,
        effect: (@Sendable (Database) throws -> Void)? = nil
    ) async throws {
        let done = run.position
        run.position = position
        let snapshot = run
        try await writes.write { db in
            try effect?(db)
            try db.execute(
                sql: """
                    UPDATE automation_run SET position = ?, waiting = 0, pending_queue_id = NULL, last_campaign_id = ?,
                    updated = ? WHERE id = ?
                    """,
                arguments: [position, snapshot.lastCampaignID, now.timeIntervalSince1970, snapshot.id])
            try db.execute(
                sql: """
                    INSERT INTO automation_step_log (run_id, automation_id, contact_id, position, step, detail, time)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    snapshot.id, snapshot.automationID, snapshot.contactID, done, name, detail,
                    now.timeIntervalSince1970,
                ])
        }
    }

    private nonisolated func park(_ run: inout AutomationRun, until: Date, now: Date, waiting: Bool = true)
        async throws
    {
        run.waiting = waiting
        run.wakeAt = until
        let id = run.id
        try await writes.write { db in
            try db.execute(
                sql: "UPDATE automation_run SET waiting = ?, wake_at = ?, updated = ? WHERE id = ?",
                arguments: [waiting, until.timeIntervalSince1970, now.timeIntervalSince1970, id])
        }
    }

    private nonisolated func finish(_ run: inout AutomationRun, _ state: AutomationRun.State, reason: String, now: Date)
        async throws
    {
        run.state = state
        let id = run.id
        try await writes.write { db in
            try db.execute(
                sql: "UPDATE automation_run SET state = ?, exit_reason = ?, updated = ? WHERE id = ?",
                arguments: [state.rawValue, reason, now.timeIntervalSince1970, id])
        }
    }

    /// A send step; false when the run cannot go on now (the contact is suppressed: it exits).
    private nonisolated func sendStep(
        _ send: AutomationSend, _ automation: Automation, _ contact: Contact, _ run: inout AutomationRun, now: Date
    ) async throws -> Bool {
        let contactID = contact.id ?? 0
        // A send left pending by a crash: settled at start-up, the ledger row is queued (done) or gone (again).
        if let pending = run.pendingQueueID {
            let status = try pendingStatus(send.campaignID, contactID, pending)
            if let status, status != "pending" {
                run.lastCampaignID = send.campaignID
                return true
            }
        }
        if hooks.isSuppressed(contact.email) {
            try await finish(&run, .exited, reason: "suppressed", now: now)
            return false
        }
        let prepared = try preparedCampaign(send)
        let queueID = sink.makeQueueID()
        let body = try prepared.message(for: contact, queueID: queueID)
        try await reserve(send.campaignID, contact, queueID: queueID, runID: run.id)
        run.pendingQueueID = queueID
        let campaign = try CampaignStore(database: database).get(send.campaignID)
        try await sink.store([
            CampaignMessage(
                queueID: queueID, sender: campaign.fromAddress, recipient: contact.email, body: body,
                campaignID: send.campaignID)
        ])
        let campaignID = send.campaignID
        try await writes.write { db in
            try CampaignLedger.markQueued(campaignID: campaignID, contactID: contactID, time: now, db)
        }
        await sink.release(queueIDs: [queueID])
        run.lastCampaignID = send.campaignID
        return true
    }

    /// The ledger status of a send's row, when it still has the pending queue id.
    private nonisolated func pendingStatus(_ campaignID: Int64, _ contactID: Int64, _ queueID: String) throws -> String?
    {
        try database.pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT status FROM campaign_recipient WHERE campaign_id = ? AND contact_id = ? AND queue_id = ?",
                arguments: [campaignID, contactID, queueID])
        }
    }

    /// The send's ledger row (pending) and the run's pending queue id, in one transaction.
    private nonisolated func reserve(_ campaignID: Int64, _ contact: Contact, queueID: String, runID: Int64)
        async throws
    {
        let contactID = contact.id ?? 0
        let email = contact.email
        try await writes.write { db in
            // A contact who enters again gets the step's message again: the row is replaced.
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO campaign_recipient (campaign_id, contact_id, email, queue_id, status, variant)
                    VALUES (?, ?, ?, ?, 'pending', '')
                    """, arguments: [campaignID, contactID, email, queueID])
            try db.execute(
                sql: "UPDATE automation_run SET pending_queue_id = ? WHERE id = ?", arguments: [queueID, runID])
        }
    }

    private nonisolated func preparedCampaign(_ send: AutomationSend) throws -> any PreparedCampaign {
        if let cached = prepared.get(send.campaignID) { return cached }
        var campaign = try CampaignStore(database: database).get(send.campaignID)
        campaign.subjectOverride = send.subject
        let made = try composer.prepare(campaign)
        prepared.set(send.campaignID, made)
        return made
    }

    private nonisolated func evaluate(_ condition: AutomationCondition, _ run: AutomationRun, _ contact: Contact) throws
        -> Bool
    {
        switch condition {
        case .segment(let segment, _):
            return try matches(segment, contact.id ?? 0)
        case .openedPrevious, .clickedPrevious:
            guard let campaign = run.lastCampaignID else { return false }
            let column = if case .openedPrevious = condition { "opened" } else { "clicked" }
            return try database.pool.read { db in
                try Bool.fetchOne(
                    db,
                    sql:
                        "SELECT \(column) IS NOT NULL FROM campaign_recipient WHERE campaign_id = ? AND contact_id = ?",
                    arguments: [campaign, contact.id ?? 0]) ?? false
            }
        }
    }

    private nonisolated func matches(_ segment: Segment, _ contactID: Int64) throws -> Bool {
        try database.pool.read { db in
            var arguments: StatementArguments = []
            let condition = segment.sql(&arguments)
            arguments += [contactID]
            return try Bool.fetchOne(
                db, sql: "SELECT 1 FROM contact WHERE (\(condition)) AND contact.id = ?", arguments: arguments) != nil
        }
    }

    /// Adds or removes a tag; an addition is a `tag_added` event (flows triggered by the tag enrol).
    static func changeTag(_ tag: String, adding: Bool, _ contactID: Int64, now: Date, _ db: Database) throws {
        guard let text = try String.fetchOne(db, sql: "SELECT tags FROM contact WHERE id = ?", arguments: [contactID])
        else { return }
        var tags = ContactStore.strings(text)
        if adding {
            guard !tags.contains(tag) else { return }
            tags.append(tag)
        } else {
            guard tags.contains(tag) else { return }
            tags.removeAll { $0 == tag }
        }
        let encoded = String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
        try db.execute(
            sql: "UPDATE contact SET tags = ?, updated = ? WHERE id = ?",
            arguments: [encoded, now.timeIntervalSince1970, contactID])
        if adding { try ContactStore.recordTagsAdded([tag], contactID: contactID, time: now, db) }
    }

    private nonisolated func webhookStep(
        _ url: String, _ automation: Automation, _ contact: Contact, _ run: AutomationRun
    )
        async throws
    {
        guard let call = hooks.callWebhook else {
            logger.warning("automation webhook step skipped: no webhook sender", metadata: ["url": "\(url)"])
            return
        }
        let data: [String: String] = [
            "automation_id": "\(automation.id)", "automation": automation.name, "run_id": "\(run.id)",
            "step": "\(run.position)", "contact_id": "\(contact.id ?? 0)", "email": contact.email,
            "first_name": contact.firstName, "last_name": contact.lastName,
        ]
        try await call(url, data)
    }
}

/// Prepared send-step campaigns (compiled templates), shared by the runs advanced at once.
final class PreparedCache: @unchecked Sendable {
    // @unchecked: every access to `entries` holds `lock`.
    private let lock = NSLock()
    private var entries: [Int64: any PreparedCampaign] = [:]

    func get(_ id: Int64) -> (any PreparedCampaign)? {
        lock.withLock { entries[id] }
    }

    func set(_ id: Int64, _ prepared: any PreparedCampaign) {
        lock.withLock { entries[id] = prepared }
    }
}
