import Campaigns
import Foundation
import Storage
import Testing

@Suite struct SegmentStoreTests {
    let database: PetrelDatabase
    let segments: SegmentStore

    init() throws {
        database = try TestDatabase.make()
        segments = SegmentStore(database: database)
        let contacts = ContactStore(database: database)
        for index in 0..<20 {
            try contacts.create(ContactInput(email: "u\(index)@example.com", tags: index % 4 == 0 ? ["vip"] : []))
        }
    }

    @Test func crudCountAndPreview() throws {
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        let vip = try segments.create(name: "VIP", definition: #"{"tag": "vip"}"#, time: time)
        #expect(vip.name == "VIP" && vip.created == time && vip.updated == time)
        #expect(try segments.count(vip.id) == 5)
        #expect(try segments.preview(vip.id, limit: 2).map(\.email) == ["u0@example.com", "u4@example.com"])
        #expect(throws: CampaignStoreError.duplicate(field: "name", value: "VIP")) {
            try segments.create(name: "VIP", definition: #"{"tag": "x"}"#)
        }

        let later = time.addingTimeInterval(10)
        let changed = try segments.update(
            vip.id, definition: #"{"not": {"tag": "vip"}}"#, time: later)
        #expect(changed.name == "VIP" && changed.updated == later && changed.created == time)
        #expect(try segments.count(vip.id) == 15)
        let renamed = try segments.update(vip.id, name: "Not VIP")
        #expect(renamed.definition == #"{"not": {"tag": "vip"}}"#)
        try segments.create(name: "All", definition: #"{"field": "email", "op": "exists"}"#)
        #expect(try segments.all().map(\.name) == ["All", "Not VIP"])

        try segments.delete(vip.id)
        #expect(try segments.segment(id: vip.id) == nil)
        #expect(throws: CampaignStoreError.notFound(resource: "segment", id: String(vip.id))) {
            try segments.count(vip.id)
        }
    }

    @Test(arguments: [
        (#"{"and": [{"tag": "a"}, {"custom": "city", "op": "like", "value": "x"}]}"#, "definition.and[1].op"),
        (#"{"tag": "a", "extra": 1}"#, "definition"),
        ("not json", "definition"),
        (#"{"event": "opened", "campaign": "x"}"#, "definition.campaign"),
    ])
    func invalidDefinitionsNameTheMember(definition: String, field: String) throws {
        do {
            try segments.create(name: "S", definition: definition)
            Issue.record("accepted \(definition)")
        } catch CampaignStoreError.invalid(let reported, _) {
            #expect(reported == field)
        }
        #expect(try segments.all().isEmpty)
    }
}
