import Campaigns
import Foundation
import Storage
import Testing

@Suite struct ListStoreTests {
    let database: PetrelDatabase
    let lists: ListStore
    let contacts: ContactStore

    init() throws {
        database = try TestDatabase.make()
        lists = ListStore(database: database)
        contacts = ContactStore(database: database)
    }

    @Test func createRenameDeleteWithCounts() throws {
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        let news = try lists.create(name: " News ", time: time)
        #expect(news.name == "News" && news.members == 0 && news.created == time)
        let vip = try lists.create(name: "VIP")
        #expect(throws: CampaignStoreError.duplicate(field: "name", value: "News")) { try lists.create(name: "News") }
        #expect(throws: CampaignStoreError.invalid(field: "name", reason: "empty")) { try lists.create(name: "  ") }

        let ids = try (0..<3).map { try #require(try contacts.create(ContactInput(email: "u\($0)@example.com")).id) }
        #expect(try lists.add(ids, to: news.id) == 3)
        #expect(try lists.add([ids[0]], to: news.id) == 0)
        #expect(try lists.add([ids[2]], to: vip.id) == 1)
        #expect(try lists.all().map { "\($0.name):\($0.members)" } == ["News:3", "VIP:1"])
        #expect(try contacts.count(list: "News") == 3)

        #expect(try lists.remove([ids[0], 999], from: news.id) == 1)
        #expect(try lists.list(id: news.id)?.members == 2)

        let renamed = try lists.rename(news.id, to: "Newsletter")
        #expect(renamed.name == "Newsletter" && renamed.members == 2)
        #expect(try lists.rename(news.id, to: "Newsletter") == renamed)
        #expect(throws: CampaignStoreError.duplicate(field: "name", value: "VIP")) {
            try lists.rename(news.id, to: "VIP")
        }
        #expect(try contacts.lists(of: ids[2]) == ["Newsletter", "VIP"])

        try lists.delete(news.id)
        #expect(try lists.list(id: news.id) == nil && lists.list(named: "Newsletter") == nil)
        #expect(try contacts.count() == 3, "deleting a list keeps its contacts")
        #expect(try contacts.lists(of: ids[2]) == ["VIP"])
        #expect(throws: CampaignStoreError.notFound(resource: "list", id: String(news.id))) {
            try lists.delete(news.id)
        }
    }

    @Test func addingAnUnknownContactAddsNone() throws {
        let list = try lists.create(name: "L")
        let id = try #require(try contacts.create(ContactInput(email: "a@example.com")).id)
        #expect(throws: CampaignStoreError.invalid(field: "contact_ids[1]", reason: "no contact 77")) {
            try lists.add([id, 77], to: list.id)
        }
        #expect(try lists.list(id: list.id)?.members == 0)
        #expect(throws: CampaignStoreError.notFound(resource: "list", id: "5")) { try lists.add([id], to: 5) }
    }
}
