import Campaigns
import Foundation
import GRDB
import Storage
import Suppression
import Testing

/// Opens, clicks and unsubscribes against a real SQLite file: humans fill the ledger, machines only the
/// event log, and an unsubscribe reaches the contact, the ledger and the suppression list.
@Suite struct CampaignTrackingTests {
    static func setUp() async throws -> (PetrelDatabase, Campaign, Contact, SuppressionStore) {
        let (database, campaign) = try CampaignRunnerTests.setUp(count: 3)
        let contact = try #require(try ContactStore(database: database).contact(email: "user1@example.com"))
        try CampaignLedger(database: database).reserve(
            campaignID: campaign.id, [.init(contactID: contact.id ?? 0, email: contact.email, queueID: "Q1")])
        try CampaignLedger(database: database).markQueued(
            campaignID: campaign.id, contactIDs: [contact.id ?? 0], time: Date(timeIntervalSinceNow: -600))
        return (database, campaign, contact, try SuppressionStore(database: database))
    }

    static let browser = CampaignTracking.Request(
        method: "GET", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        ip: "192.0.2.10")

    @Test func humanOpenAndClickCountOnceMachinesApart() async throws {
        let (database, campaign, contact, suppression) = try await Self.setUp()
        let tracking = CampaignTracking(
            database: database, classifier: MachineActivityClassifier(), suppression: suppression)
        let id = contact.id ?? 0
        let scanner = CampaignTracking.Request(method: "HEAD", userAgent: "Mozilla/5.0", ip: "192.0.2.20")
        #expect(
            try tracking.record(
                .click, campaignID: campaign.id, contactID: id, link: "https://x.test/", request: scanner) != nil)
        var analytics = try CampaignAnalytics.load(campaignID: campaign.id, database: database)
        #expect(analytics.uniqueClicks == 0 && analytics.machineClicks == 1 && analytics.uniqueOpens == 0)
        #expect(try tracking.record(.open, campaignID: campaign.id, contactID: id, request: Self.browser) == nil)
        #expect(try tracking.record(.open, campaignID: campaign.id, contactID: id, request: Self.browser) == nil)
        #expect(
            try tracking.record(
                .click, campaignID: campaign.id, contactID: id, link: "https://x.test/", request: Self.browser)
                == nil)
        analytics = try CampaignAnalytics.load(campaignID: campaign.id, database: database)
        #expect(analytics.uniqueOpens == 1 && analytics.opens == 2 && analytics.uniqueClicks == 1)
        #expect(analytics.links.map(\.url) == ["https://x.test/"])
        #expect(analytics.links.first?.clicks == 1 && analytics.links.first?.uniqueClicks == 1)
        // Nothing delivered yet: rates over delivered are 0, not a division by zero.
        #expect(analytics.openRate == 0)
        try CampaignLedger(database: database).recordDelivery(queueID: "Q1", delivered: true)
        analytics = try CampaignAnalytics.load(campaignID: campaign.id, database: database)
        #expect(analytics.delivered == 1 && analytics.openRate == 1 && analytics.clickToOpenRate == 1)
    }

    @Test func openSoonAfterDeliveryIsAMachine() async throws {
        let (database, campaign, contact, suppression) = try await Self.setUp()
        try CampaignLedger(database: database).recordDelivery(queueID: "Q1", delivered: true, time: Date())
        let tracking = CampaignTracking(
            database: database, classifier: MachineActivityClassifier(minimumOpenDelay: 30), suppression: suppression)
        let reason = try tracking.record(
            .open, campaignID: campaign.id, contactID: contact.id ?? 0, request: Self.browser)
        #expect(reason != nil)
        #expect(try CampaignAnalytics.load(campaignID: campaign.id, database: database).uniqueOpens == 0)
    }

    @Test func unsubscribeReachesContactLedgerAndSuppression() async throws {
        let (database, campaign, contact, suppression) = try await Self.setUp()
        let tracking = CampaignTracking(
            database: database, classifier: MachineActivityClassifier(), suppression: suppression)
        let email = try tracking.unsubscribe(campaignID: campaign.id, contactID: contact.id ?? 0, source: "test")
        #expect(email == "user1@example.com")
        #expect(try ContactStore(database: database).contact(email: "user1@example.com")?.status == .unsubscribed)
        #expect(try suppression.lookup("USER1@example.com")?.kind == .unsubscribe)
        #expect(try CampaignAnalytics.load(campaignID: campaign.id, database: database).unsubscribed == 1)
        // The next campaign's audience leaves the contact out.
        #expect(try CampaignAudienceQuery(database: database).count(campaign.audience) == 2)
        // A contact that no longer exists: nothing to do, no error.
        #expect(try tracking.unsubscribe(campaignID: campaign.id, contactID: 999, source: "test") == nil)
    }
}
