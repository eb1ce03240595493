import Campaigns
import Foundation
import GRDB
import Storage
import Testing

@Suite struct SegmentEventTests {
    let database: PetrelDatabase
    let contacts: ContactStore

    /// Ten contacts u0…u9; campaign 1 went to u0–u5 (delivered to all but u5, which bounced; u0–u2 opened,
    /// u0 clicked, u1 unsubscribed); campaign 2 went to u4–u9 (all delivered, u9 opened).
    init() throws {
        database = try TestDatabase.make()
        contacts = ContactStore(database: database)
        var ids: [Int64] = []
        for index in 0..<10 {
            ids.append(try #require(try contacts.create(ContactInput(email: "u\(index)@example.com")).id))
        }
        try database.pool.write { db in
            for campaign in 1...2 {
                try db.execute(
                    sql: """
                        INSERT INTO campaign (id, name, from_address, created, updated) VALUES (?, ?, 'a@example.com', 0, 0)
                        """, arguments: [campaign, "C\(campaign)"])
            }
            func recipient(_ campaign: Int, _ index: Int, _ columns: [String: Double]) throws {
                let names = ["delivered", "bounced", "opened", "clicked", "unsubscribed"]
                try db.execute(
                    sql: """
                        INSERT INTO campaign_recipient (campaign_id, contact_id, email, queue_id, status, \
                        delivered, bounced, opened, clicked, unsubscribed) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)
                        """,
                    arguments: StatementArguments(
                        [campaign, ids[index], "u\(index)@example.com", "Q\(campaign)-\(index)"]
                            + names.map { columns[$0] }))
            }
            for index in 0...5 {
                var columns: [String: Double] = index == 5 ? ["bounced": 1] : ["delivered": 1]
                if index <= 2 { columns["opened"] = 2 }
                if index == 0 { columns["clicked"] = 3 }
                if index == 1 { columns["unsubscribed"] = 4 }
                try recipient(1, index, columns)
            }
            for index in 4...9 {
                try recipient(2, index, index == 9 ? ["delivered": 1, "opened": 2] : ["delivered": 1])
            }
        }
    }

    func emails(_ json: String) throws -> [String] {
        var out: [String] = []
        try contacts.forEach(segment: Segment(json: json)) { out.append($0.email) }
        #expect(try contacts.count(segment: Segment(json: json)) == out.count)
        return out.map { String($0.dropFirst().prefix { $0 != "@" }) }
    }

    @Test func eventsOfOneCampaignOrAny() throws {
        #expect(try emails(#"{"event": "opened", "campaign": 1}"#) == ["0", "1", "2"])
        #expect(try emails(#"{"event": "opened"}"#) == ["0", "1", "2", "9"])
        #expect(try emails(#"{"event": "clicked", "campaign": 2}"#) == [])
        #expect(try emails(#"{"event": "bounced"}"#) == ["5"])
        #expect(try emails(#"{"event": "unsubscribed", "campaign": 1}"#) == ["1"])
        #expect(try emails(#"{"event": "delivered", "campaign": 2}"#) == ["4", "5", "6", "7", "8", "9"])
    }

    @Test func notIsDidNotIncludingThoseNeverSentTo() throws {
        #expect(try emails(#"{"not": {"event": "opened", "campaign": 1}}"#) == ["3", "4", "5", "6", "7", "8", "9"])
        let deliveredButNotOpened = """
            {"and": [{"event": "delivered", "campaign": 1}, {"not": {"event": "opened", "campaign": 1}}]}
            """
        #expect(try emails(deliveredButNotOpened) == ["3", "4"])
        #expect(try emails(#"{"or": [{"event": "clicked"}, {"event": "opened", "campaign": 2}]}"#) == ["0", "9"])
    }

    @Test(arguments: [
        (#"{"event": "read"}"#, "event: expected one of delivered, bounced, opened, clicked, unsubscribed, complained"),
        (#"{"event": "opened", "campaign": 1.5}"#, "campaign: expected a campaign id"),
        (#"{"event": "opened", "campaign": true}"#, "campaign: expected a campaign id"),
        (#"{"event": "opened", "campaign": 0}"#, "campaign: expected a campaign id"),
        (#"{"not": {"event": "opened", "link": "x"}}"#, "not.link: unknown member"),
    ])
    func invalidEventConditionsNameTheMember(json: String, message: String) {
        do {
            _ = try Segment(json: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func campaignIdsAreBoundNotSpliced() throws {
        var arguments = StatementArguments()
        let sql = try Segment(json: #"{"event": "clicked", "campaign": 12}"#).sql(&arguments)
        #expect(!sql.contains("12"))
        #expect(arguments == [Int64(12)])
    }
}
