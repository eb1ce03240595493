import Foundation

/// Where campaigns are kept. `CampaignStore` is the SQLite implementation; a PostgreSQL one, for several
/// nodes sharing campaigns, implements the same requirements.
public protocol CampaignRepository: Sendable {
    func create(_ input: CampaignInput, now: Date) throws -> Campaign
    func get(_ id: Int64) throws -> Campaign
    func list(page: Int, perPage: Int) throws -> (items: [Campaign], total: Int)
    func update(_ id: Int64, _ input: CampaignInput, now: Date) throws -> Campaign
    func delete(_ id: Int64) throws
    func duplicate(_ id: Int64, now: Date) throws -> Campaign
    func transition(_ id: Int64, to next: CampaignStatus, sendAt: Date?, now: Date) throws -> Campaign
    func setParent(_ id: Int64, _ parentID: Int64) throws
    func campaigns(in status: CampaignStatus) throws -> [Campaign]
    func setABState(_ id: Int64, _ state: ABState) throws
}

extension CampaignRepository {
    public func create(_ input: CampaignInput) throws -> Campaign { try create(input, now: Date()) }
    public func update(_ id: Int64, _ input: CampaignInput) throws -> Campaign { try update(id, input, now: Date()) }
    public func duplicate(_ id: Int64) throws -> Campaign { try duplicate(id, now: Date()) }
    public func transition(_ id: Int64, to next: CampaignStatus, sendAt: Date? = nil) throws -> Campaign {
        try transition(id, to: next, sendAt: sendAt, now: Date())
    }
}

/// The per-recipient ledger of campaigns (see `CampaignLedger`, its SQLite implementation).
public protocol CampaignLedgerRepository: Sendable {
    func reserve(campaignID: Int64, _ batch: [CampaignLedger.Reservation], variant: String) throws
    func markQueued(campaignID: Int64, contactIDs: [Int64], time: Date) throws
    func settle(campaignID: Int64?, isSpooled: (String) -> Bool, time: Date) throws -> (stored: Int, released: Int)
    func recordDelivery(queueID: String, delivered: Bool, hard: Bool, time: Date) throws
    @discardableResult
    func record(_ engagement: CampaignLedger.Engagement, campaignID: Int64, contactID: Int64, time: Date) throws -> Bool
    func recipient(queueID: String) throws -> (campaignID: Int64, contactID: Int64)?
    func sentTime(campaignID: Int64, contactID: Int64) throws -> Date?
    func statusCounts(campaignID: Int64) throws -> [String: Int]
    /// A/B test counts per variant (rows with a variant name only).
    func variantCounts(campaignID: Int64) throws -> [String: ABCounts]
}

extension CampaignLedgerRepository {
    public func reserve(campaignID: Int64, _ batch: [CampaignLedger.Reservation]) throws {
        try reserve(campaignID: campaignID, batch, variant: "")
    }
    public func markQueued(campaignID: Int64, contactIDs: [Int64]) throws {
        try markQueued(campaignID: campaignID, contactIDs: contactIDs, time: Date())
    }
    public func settle(campaignID: Int64? = nil, isSpooled: (String) -> Bool) throws -> (stored: Int, released: Int) {
        try settle(campaignID: campaignID, isSpooled: isSpooled, time: Date())
    }
    public func recordDelivery(queueID: String, delivered: Bool, hard: Bool = true) throws {
        try recordDelivery(queueID: queueID, delivered: delivered, hard: hard, time: Date())
    }
    @discardableResult
    public func record(_ engagement: CampaignLedger.Engagement, campaignID: Int64, contactID: Int64) throws -> Bool {
        try record(engagement, campaignID: campaignID, contactID: contactID, time: Date())
    }
}

/// Who a campaign still has to go to (see `CampaignAudienceQuery`, its SQLite implementation).
public protocol CampaignAudienceSource: Sendable {
    func next(campaign: Campaign, after: Int64, limit: Int) throws -> [Contact]
    func count(_ audience: CampaignAudience) throws -> Int
}

extension CampaignStore: CampaignRepository {}
extension CampaignLedger: CampaignLedgerRepository {}
extension CampaignAudienceQuery: CampaignAudienceSource {}
