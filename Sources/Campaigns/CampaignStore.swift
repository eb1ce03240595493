import Foundation
import GRDB
import Storage

/// What a client sets on a campaign; nil leaves a value as it is (or at its default on create).
public struct CampaignInput: Sendable, Hashable {
    public var name: String?
    public var templateID: Int64?
    public var templateVersion: Int?
    public var fromAddress: String?
    public var fromName: String?
    public var replyTo: String?
    public var sendingDomain: String?
    public var postalAddress: String?
    public var audience: CampaignAudience?
    public var data: [String: String]?
    public var recurrence: CampaignRecurrence?
    /// Sets the A/B test; ``removesABTest`` removes it.
    public var abTest: ABTest?
    public var removesABTest = false

    public init(
        name: String? = nil, templateID: Int64? = nil, templateVersion: Int? = nil, fromAddress: String? = nil,
        fromName: String? = nil, replyTo: String? = nil, sendingDomain: String? = nil, postalAddress: String? = nil,
        audience: CampaignAudience? = nil, data: [String: String]? = nil, recurrence: CampaignRecurrence? = nil
    ) {
        self.name = name
        self.templateID = templateID
        self.templateVersion = templateVersion
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.replyTo = replyTo
        self.sendingDomain = sendingDomain
        self.postalAddress = postalAddress
        self.audience = audience
        self.data = data
        self.recurrence = recurrence
    }
}

/// Campaigns in SQLite: create, edit while in draft, move through the lifecycle, duplicate.
public struct CampaignStore: Sendable {
    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    public func create(_ input: CampaignInput, now: Date = Date()) throws -> Campaign {
        guard let name = input.name, !name.isEmpty else {
            throw CampaignStoreError.invalid(field: "name", reason: "required")
        }
        guard let from = input.fromAddress else {
            throw CampaignStoreError.invalid(field: "from_address", reason: "required")
        }
        var campaign = Campaign(
            id: 0, name: name, status: .draft, templateID: nil, templateVersion: nil, fromAddress: from, fromName: "",
            replyTo: "", sendingDomain: "", postalAddress: "", audience: CampaignAudience(), data: [:], sendAt: nil,
            recurrence: .none, parentID: nil, created: now, updated: now, started: nil, finished: nil)
        try Self.apply(input, to: &campaign)
        return try database.pool.write { db in
            try Self.checkReferences(campaign, db)
            try Self.insert(&campaign, db)
            return campaign
        }
    }

    public func get(_ id: Int64) throws -> Campaign {
        try database.pool.read { db in try Self.fetch(id, db) }
    }

    /// One page of campaigns, newest first, and how many there are.
    public func list(page: Int, perPage: Int) throws -> (items: [Campaign], total: Int) {
        try database.pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM campaign WHERE kind = 'campaign'") ?? 0
            let rows = try Row.fetchAll(
                db, sql: Self.select + " WHERE kind = 'campaign' ORDER BY id DESC LIMIT ? OFFSET ?",
                arguments: [perPage, max(0, page - 1) * perPage])
            return (try rows.map(Self.campaign), total)
        }
    }

    /// Changes a draft (or a scheduled campaign, which goes back to draft semantics only by `unschedule`).
    public func update(_ id: Int64, _ input: CampaignInput, now: Date = Date()) throws -> Campaign {
        try database.pool.write { db in
            var campaign = try Self.fetch(id, db)
            guard campaign.status == .draft || campaign.status == .scheduled else {
                throw CampaignStoreError.conflict("campaign \(id) is \(campaign.status.rawValue): only drafts change")
            }
            try Self.apply(input, to: &campaign)
            campaign.updated = now
            try Self.checkReferences(campaign, db)
            try Self.save(campaign, db)
            return campaign
        }
    }

    /// Deletes a campaign that is not sending (its ledger and events go with it).
    public func delete(_ id: Int64) throws {
        try database.pool.write { db in
            let campaign = try Self.fetch(id, db)
            guard campaign.status != .sending else {
                throw CampaignStoreError.conflict("campaign \(id) is sending: pause or cancel it first")
            }
            try db.execute(sql: "DELETE FROM tracking_event WHERE campaign_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM campaign WHERE id = ?", arguments: [id])
        }
    }

    /// A new draft with the same content, audience and settings.
    public func duplicate(_ id: Int64, now: Date = Date()) throws -> Campaign {
        try database.pool.write { db in
            var copy = try Self.fetch(id, db)
            copy.name += " (copy)"
            copy.status = .draft
            copy.sendAt = nil
            copy.parentID = nil
            copy.created = now
            copy.updated = now
            copy.started = nil
            copy.finished = nil
            copy.abState = nil
            try Self.insert(&copy, db)
            return copy
        }
    }

    /// Moves a campaign to `next` if its lifecycle allows it. Starting to send pins the template version
    /// and checks that there is a template and an audience.
    public func transition(_ id: Int64, to next: CampaignStatus, sendAt: Date? = nil, now: Date = Date()) throws
        -> Campaign
    {
        try database.pool.write { db in
            var campaign = try Self.fetch(id, db)
            guard campaign.status.allows(next) else {
                throw CampaignStoreError.conflict(
                    "campaign \(id) is \(campaign.status.rawValue): it cannot become \(next.rawValue)")
            }
            if next == .sending || next == .scheduled {
                guard let templateID = campaign.templateID else {
                    throw CampaignStoreError.invalid(
                        field: "template_id", reason: "a campaign needs a template to send")
                }
                guard !campaign.audience.isEmpty else {
                    throw CampaignStoreError.invalid(field: "audience", reason: "no lists or segments")
                }
                if campaign.templateVersion == nil {
                    campaign.templateVersion = try Int.fetchOne(
                        db, sql: "SELECT version FROM template WHERE id = ?", arguments: [templateID])
                }
            }
            if next == .scheduled {
                guard let sendAt else { throw CampaignStoreError.invalid(field: "send_at", reason: "required") }
                campaign.sendAt = sendAt
            }
            if next == .draft { campaign.sendAt = nil }
            if next == .sending && campaign.started == nil { campaign.started = now }
            if next == .sent || next == .cancelled { campaign.finished = now }
            campaign.status = next
            campaign.updated = now
            try Self.save(campaign, db)
            return campaign
        }
    }

    /// Records the recurring campaign a run was made from.
    public func setParent(_ id: Int64, _ parentID: Int64) throws {
        try database.pool.write { db in
            try db.execute(sql: "UPDATE campaign SET parent_id = ? WHERE id = ?", arguments: [parentID, id])
        }
    }

    /// Campaigns in `status` (the scheduler's and recovery's view), oldest first.
    /// Stores an A/B test's progress.
    public func setABState(_ id: Int64, _ state: ABState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(state), as: UTF8.self)
        try database.pool.write { db in
            try db.execute(sql: "UPDATE campaign SET ab_state = ? WHERE id = ?", arguments: [text, id])
        }
    }

    public func campaigns(in status: CampaignStatus) throws -> [Campaign] {
        try database.pool.read { db in
            try Row.fetchAll(
                db, sql: Self.select + " WHERE status = ? AND kind = 'campaign' ORDER BY id",
                arguments: [status.rawValue]
            )
            .map(Self.campaign)
        }
    }

    // MARK: - Rows

    static func apply(_ input: CampaignInput, to campaign: inout Campaign) throws {
        if let name = input.name {
            guard !name.isEmpty else { throw CampaignStoreError.invalid(field: "name", reason: "must not be empty") }
            campaign.name = name
        }
        if let from = input.fromAddress {
            if let problem = EmailSyntax.problem(from) {
                throw CampaignStoreError.invalid(field: "from_address", reason: problem)
            }
            campaign.fromAddress = from
        }
        if let replyTo = input.replyTo {
            if !replyTo.isEmpty, let problem = EmailSyntax.problem(replyTo) {
                throw CampaignStoreError.invalid(field: "reply_to", reason: problem)
            }
            campaign.replyTo = replyTo
        }
        if let name = input.fromName {
            guard !name.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw CampaignStoreError.invalid(field: "from_name", reason: "must be one line")
            }
            campaign.fromName = name
        }
        if let domain = input.sendingDomain { campaign.sendingDomain = domain.lowercased() }
        if let postal = input.postalAddress { campaign.postalAddress = postal }
        if let templateID = input.templateID {
            campaign.templateID = templateID
            campaign.templateVersion = nil
        }
        if let version = input.templateVersion { campaign.templateVersion = version }
        if let audience = input.audience { campaign.audience = audience }
        if let data = input.data { campaign.data = data }
        if let recurrence = input.recurrence { campaign.recurrence = recurrence }
        if let test = input.abTest { campaign.abTest = try test.validated() }
        if input.removesABTest { campaign.abTest = nil }
    }

    static func checkReferences(_ campaign: Campaign, _ db: Database) throws {
        if let templateID = campaign.templateID {
            guard
                let newest = try Int.fetchOne(
                    db, sql: "SELECT version FROM template WHERE id = ?", arguments: [templateID])
            else { throw CampaignStoreError.invalid(field: "template_id", reason: "no template \(templateID)") }
            if let version = campaign.templateVersion, version < 1 || version > newest {
                throw CampaignStoreError.invalid(
                    field: "template_version", reason: "template \(templateID) has versions 1 to \(newest)")
            }
        }
        for (index, variant) in (campaign.abTest?.variants ?? []).enumerated() {
            if let templateID = variant.templateID,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM template WHERE id = ?", arguments: [templateID]) == nil
            {
                throw CampaignStoreError.invalid(
                    field: "ab_test.variants[\(index)].template_id", reason: "no template \(templateID)")
            }
        }
        let lists =
            campaign.audience.lists.map { ("audience.lists", $0) }
            + campaign.audience.excludeLists.map { ("audience.exclude_lists", $0) }
        for (field, list) in lists {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM list WHERE name = ?", arguments: [list]) != nil else {
                throw CampaignStoreError.invalid(field: field, reason: "no list \"\(list)\"")
            }
        }
        for segment in campaign.audience.segments + campaign.audience.excludeSegments {
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM segment WHERE id = ?", arguments: [segment]) != nil else {
                let field =
                    campaign.audience.segments.contains(segment) ? "audience.segments" : "audience.exclude_segments"
                throw CampaignStoreError.invalid(field: field, reason: "no segment \(segment)")
            }
        }
    }

    static let columns = """
        name, status, template_id, template_version, from_address, from_name, reply_to, sending_domain, \
        postal_address, audience, data, send_at, recurrence, parent_id, created, updated, started, finished, \
        ab_test, ab_state
        """
    static let select = "SELECT id, \(columns) FROM campaign"

    static func arguments(_ campaign: Campaign) -> StatementArguments {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let audience = (try? encoder.encode(campaign.audience)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let data = (try? encoder.encode(campaign.data)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        func json(_ value: (some Encodable)?) -> String {
            value.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        let values: [(any DatabaseValueConvertible)?] = [
            campaign.name, campaign.status.rawValue, campaign.templateID, campaign.templateVersion,
            campaign.fromAddress, campaign.fromName, campaign.replyTo, campaign.sendingDomain, campaign.postalAddress,
            audience, data, campaign.sendAt?.timeIntervalSince1970, campaign.recurrence.rawValue, campaign.parentID,
            campaign.created.timeIntervalSince1970, campaign.updated.timeIntervalSince1970,
            campaign.started?.timeIntervalSince1970, campaign.finished?.timeIntervalSince1970,
            json(campaign.abTest), json(campaign.abState),
        ]
        return StatementArguments(values)
    }

    static func insert(_ campaign: inout Campaign, _ db: Database) throws {
        try db.execute(
            sql:
                "INSERT INTO campaign (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: arguments(campaign))
        campaign.id = db.lastInsertedRowID
    }

    static func save(_ campaign: Campaign, _ db: Database) throws {
        let assignments = columns.split(separator: ",").map { "\($0.trimmingCharacters(in: .whitespaces)) = ?" }
        var arguments = arguments(campaign)
        arguments += [campaign.id]
        try db.execute(
            sql: "UPDATE campaign SET \(assignments.joined(separator: ", ")) WHERE id = ?", arguments: arguments)
    }

    static func fetch(_ id: Int64, _ db: Database) throws -> Campaign {
        guard let row = try Row.fetchOne(db, sql: select + " WHERE id = ?", arguments: [id]) else {
            throw CampaignStoreError.notFound(resource: "campaign", id: "\(id)")
        }
        return try campaign(row)
    }

    static func campaign(_ row: Row) throws -> Campaign {
        let decoder = JSONDecoder()
        func date(_ value: Double?) -> Date? { value.map(Date.init(timeIntervalSince1970:)) }
        func json<Value: Decodable>(_ text: String, as type: Value.Type) -> Value? {
            text.isEmpty ? nil : try? decoder.decode(type, from: Data(text.utf8))
        }
        return Campaign(
            id: row[0], name: row[1], status: CampaignStatus(rawValue: row[2]) ?? .draft, templateID: row[3],
            templateVersion: row[4], fromAddress: row[5], fromName: row[6], replyTo: row[7], sendingDomain: row[8],
            postalAddress: row[9],
            audience: (try? decoder.decode(CampaignAudience.self, from: Data((row[10] as String).utf8)))
                ?? CampaignAudience(),
            data: (try? decoder.decode([String: String].self, from: Data((row[11] as String).utf8))) ?? [:],
            sendAt: date(row[12]), recurrence: CampaignRecurrence(rawValue: row[13]) ?? .none, parentID: row[14],
            created: Date(timeIntervalSince1970: row[15]), updated: Date(timeIntervalSince1970: row[16]),
            started: date(row[17]), finished: date(row[18]), abTest: json(row[19], as: ABTest.self),
            abState: json(row[20], as: ABState.self))
    }
}
