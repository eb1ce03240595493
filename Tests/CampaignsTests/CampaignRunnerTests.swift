import Campaigns
import Foundation
import GRDB
import NIOConcurrencyHelpers
import Storage
import Testing

/// The send loop against a real SQLite file, with an in-memory spool (a unit test of the runner: the
/// integration tests send through the real spool and queue).
@Suite struct CampaignRunnerTests {
    /// Records what was stored and released; `onStore` runs before each batch is stored.
    final class MemorySink: CampaignMessageSink, Sendable {
        let state = NIOLockedValueBox<(stored: [String: String], released: [String], counter: Int)>(([:], [], 0))
        let onStore: @Sendable (Int) -> Void

        init(onStore: @escaping @Sendable (Int) -> Void = { _ in }) { self.onStore = onStore }

        func makeQueueID() -> String {
            state.withLockedValue { state in
                state.counter += 1
                return String(format: "Q%015d", state.counter)
            }
        }

        func store(_ messages: [CampaignMessage]) async throws {
            let batch = state.withLockedValue { state in
                for message in messages { state.stored[message.queueID] = message.recipient }
                return state.stored.count
            }
            onStore(batch)
        }

        func release(queueIDs: [String]) async { state.withLockedValue { $0.released += queueIDs } }
        func isSpooled(queueID: String) -> Bool { state.withLockedValue { $0.stored[queueID] != nil } }
        var recipients: [String] { state.withLockedValue { Array($0.stored.values) } }
    }

    struct PlainComposer: CampaignComposer {
        struct Prepared: PreparedCampaign {
            let campaign: Campaign
            func message(for contact: Contact, queueID: String) throws -> [UInt8] {
                Array("Subject: \(campaign.name)\r\nTo: \(contact.email)\r\n\r\nHi \(contact.firstName)\r\n".utf8)
            }
        }
        func prepare(_ campaign: Campaign) throws -> any PreparedCampaign { Prepared(campaign: campaign) }
    }

    /// `count` contacts on list "news", a template, and a draft campaign to the list.
    static func setUp(count: Int) throws -> (PetrelDatabase, Campaign) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-runner-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
        var csv = "email,first_name\n"
        for n in 0..<count { csv += "user\(n)@example.com,Name\(n)\n" }
        let importer = try ContactImporter(database: database, list: "news")
        try importer.feed(Array(csv.utf8))
        #expect(try importer.finish().inserted == count)
        try database.pool.write { db in
            try db.execute(sql: "INSERT INTO template (id, name, version, created, updated) VALUES (1, 't', 1, 0, 0)")
            try db.execute(
                sql: """
                    INSERT INTO template_version (template_id, version, subject, html, text, created)
                    VALUES (1, 1, 's', 'h', 't', 0)
                    """)
        }
        let campaign = try CampaignStore(database: database).create(
            CampaignInput(
                name: "Spring", templateID: 1, fromAddress: "news@example.org",
                audience: CampaignAudience(lists: ["news"])))
        return (database, campaign)
    }

    static func runner(
        _ database: PetrelDatabase, _ sink: MemorySink, suppressed: Set<String> = [], inFlight: Int = 3
    ) -> CampaignRunner {
        var settings = CampaignRunner.Settings()
        settings.batchSize = 1000
        settings.batchesInFlight = inFlight
        settings.isSuppressed = { suppressed.contains($0) }
        return CampaignRunner(
            store: CampaignStore(database: database), ledger: CampaignLedger(database: database),
            audience: CampaignAudienceQuery(database: database), composer: PlainComposer(), sink: sink,
            settings: settings)
    }

    @Test func sendsEveryoneOnceInBatches() async throws {
        let (database, campaign) = try Self.setUp(count: 2500)
        let sink = MemorySink()
        let runner = Self.runner(database, sink, suppressed: ["user7@example.com"])
        _ = try CampaignStore(database: database).transition(campaign.id, to: .sending)
        await runner.start(campaign.id)
        await runner.wait(campaign.id)
        #expect(sink.recipients.count == 2499)
        #expect(Set(sink.recipients).count == 2499)
        #expect(!sink.recipients.contains("user7@example.com"))
        #expect(try CampaignStore(database: database).get(campaign.id).status == .sent)
        let counts = try CampaignLedger(database: database).statusCounts(campaignID: campaign.id)
        #expect(counts == ["queued": 2499])
        #expect(try CampaignStore(database: database).get(campaign.id).templateVersion == 1)
    }

    @Test func pauseStopsAfterTheBatchAndResumeSendsTheRest() async throws {
        let (database, campaign) = try Self.setUp(count: 2500)
        let store = CampaignStore(database: database)
        let sink = MemorySink { stored in
            if stored == 1000 { _ = try? store.transition(campaign.id, to: .paused) }
        }
        // One batch at a time: the pause lands exactly after the first.
        let runner = Self.runner(database, sink, inFlight: 1)
        _ = try store.transition(campaign.id, to: .sending)
        await runner.start(campaign.id)
        await runner.wait(campaign.id)
        #expect(sink.recipients.count == 1000)
        #expect(try store.get(campaign.id).status == .paused)
        _ = try store.transition(campaign.id, to: .sending)
        await runner.start(campaign.id)
        await runner.wait(campaign.id)
        #expect(sink.recipients.count == 2500)
        #expect(Set(sink.recipients).count == 2500)
        #expect(try store.get(campaign.id).status == .sent)
    }

    /// A crash between the ledger's pending rows and the spool: rows whose message the spool holds become
    /// queued and are not sent again; the others are sent when the campaign resumes.
    @Test func settlingAfterACrashMailsNobodyTwice() async throws {
        let (database, campaign) = try Self.setUp(count: 10)
        let ledger = CampaignLedger(database: database)
        let sink = MemorySink()
        var reservations: [CampaignLedger.Reservation] = []
        for (offset, contactID) in (1...10).enumerated() {
            let queueID = sink.makeQueueID()
            reservations.append(
                .init(contactID: Int64(contactID), email: "user\(offset)@example.com", queueID: queueID))
        }
        try ledger.reserve(campaignID: campaign.id, reservations)
        // The first five reached the spool before the crash.
        try await sink.store(
            reservations.prefix(5).map {
                CampaignMessage(queueID: $0.queueID, sender: "", recipient: $0.email, body: [], campaignID: campaign.id)
            })
        let settled = try ledger.settle { sink.isSpooled(queueID: $0) }
        #expect(settled.stored == 5 && settled.released == 5)
        _ = try CampaignStore(database: database).transition(campaign.id, to: .sending)
        let runner = Self.runner(database, sink)
        await runner.start(campaign.id)
        await runner.wait(campaign.id)
        #expect(sink.recipients.count == 10)
        #expect(Set(sink.recipients).count == 10)
        #expect(try ledger.statusCounts(campaignID: campaign.id) == ["queued": 10])
    }

    @Test func audienceExcludesListsAndUnsubscribed() throws {
        let (database, campaign) = try Self.setUp(count: 20)
        try database.pool.write { db in
            try db.execute(sql: "UPDATE contact SET status = 'unsubscribed' WHERE email = 'user3@example.com'")
            try db.execute(sql: "INSERT INTO list (name, created) VALUES ('vip', 0)")
            try db.execute(
                sql: """
                    INSERT INTO list_member (list_id, contact_id)
                    SELECT list.id, contact.id FROM list, contact WHERE list.name = 'vip' AND contact.email LIKE 'user1%'
                    """)
        }
        var audience = campaign.audience
        audience.excludeLists = ["vip"]
        // user1, user10…user19 are excluded, user3 unsubscribed: 20 − 11 − 1.
        #expect(try CampaignAudienceQuery(database: database).count(audience) == 8)
        let store = CampaignStore(database: database)
        #expect(throws: CampaignStoreError.invalid(field: "audience.exclude_lists", reason: "no list \"nope\"")) {
            try store.update(
                campaign.id, CampaignInput(audience: CampaignAudience(lists: ["news"], excludeLists: ["nope"])))
        }
    }
}
