import Campaigns
import Foundation
import Storage
import Suppression
import Testing

@Suite struct ContactStoreWriteTests {
    let database: PetrelDatabase
    let store: ContactStore
    let time = Date(timeIntervalSince1970: 1_700_000_000)

    init() throws {
        database = try TestDatabase.make()
        store = ContactStore(database: database)
    }

    @Test func createNormalisesAndReadsBack() throws {
        let created = try store.create(
            ContactInput(
                email: " Ann@Example.COM ", firstName: "Ann", tags: ["vip", " news ", "vip"],
                fields: ["city": "Paris", "empty": ""], lists: ["news", "b2b", "news"]), time: time)
        #expect(created.email == "ann@example.com" && created.status == .subscribed)
        #expect(created.tags == ["vip", "news"] && created.fields == ["city": "Paris"])
        #expect(created.created == time && created.updated == time)
        let id = try #require(created.id)
        #expect(try store.contact(id: id) == created)
        #expect(try store.contact(email: "ANN@example.com") == created)
        #expect(try store.lists(of: id) == ["b2b", "news"])
        let consent = try #require(try store.consent(of: id))
        #expect(consent.source == "api" && consent.time == time && consent.confirmed == nil)
    }

    @Test(arguments: [
        (ContactInput(email: "no-at-sign"), CampaignStoreError.invalid(field: "email", reason: "no @")),
        (
            ContactInput(email: "a@example.com", tags: ["ok", " "]),
            CampaignStoreError.invalid(field: "tags[1]", reason: "empty")
        ),
        (
            ContactInput(email: "a@example.com", tags: ["a,b"]),
            CampaignStoreError.invalid(field: "tags[0]", reason: "contains a comma")
        ),
        (
            ContactInput(email: "a@example.com", lists: ["ok", ""]),
            CampaignStoreError.invalid(field: "lists[1]", reason: "empty")
        ),
        (
            ContactInput(email: "a@example.com", fields: ["": "x"]),
            CampaignStoreError.invalid(field: "fields", reason: "a field name is empty")
        ),
        (
            ContactInput(email: "a@example.com", status: .subscribed, doubleOptIn: true),
            CampaignStoreError.invalid(field: "status", reason: "a double opt-in contact starts pending")
        ),
    ])
    func invalidInputNamesTheField(input: ContactInput, error: CampaignStoreError) throws {
        #expect(throws: error) { try store.create(input) }
        #expect(try store.count() == 0)
    }

    @Test func duplicateEmailIsATypedError() throws {
        try store.create(ContactInput(email: "bob@example.com"))
        #expect(throws: CampaignStoreError.duplicate(field: "email", value: "bob@example.com")) {
            try store.create(ContactInput(email: "BOB@Example.com"))
        }
        let other = try store.create(ContactInput(email: "carol@example.com"))
        #expect(throws: CampaignStoreError.duplicate(field: "email", value: "bob@example.com")) {
            try store.update(other.id!, ContactPatch(email: "bob@example.com"))
        }
    }

    @Test func updateChangesOnlyWhatIsGiven() throws {
        let created = try store.create(
            ContactInput(
                email: "ann@example.com", firstName: "Ann", lastName: "Lee", tags: ["a"],
                fields: ["city": "Paris", "plan": "pro", "team": "x"], lists: ["one", "two"]), time: time)
        let id = try #require(created.id)
        let later = time.addingTimeInterval(60)
        let updated = try store.update(
            id,
            ContactPatch(
                lastName: "Smith", tags: ["b", "c"], fields: ["city": "Rome", "plan": nil, "team": "", "new": "1"],
                lists: ["two", "three"]), time: later)
        #expect(updated.email == "ann@example.com" && updated.firstName == "Ann" && updated.lastName == "Smith")
        #expect(updated.tags == ["b", "c"])
        #expect(updated.fields == ["city": "Rome", "new": "1"])
        #expect(updated.created == time && updated.updated == later)
        #expect(try store.lists(of: id) == ["three", "two"])
        // Nothing given: nothing changes but the time.
        let same = try store.update(id, ContactPatch(), time: later)
        #expect(same == updated)
        let moved = try store.update(id, ContactPatch(email: "Ann.Smith@Example.com", status: .unsubscribed))
        #expect(moved.email == "ann.smith@example.com" && moved.status == .unsubscribed)
        #expect(try store.contact(email: "ann@example.com") == nil)
    }

    @Test func missingContactsAreNotFound() throws {
        let missing = CampaignStoreError.notFound(resource: "contact", id: "42")
        #expect(throws: missing) { try store.update(42, ContactPatch(firstName: "x")) }
        #expect(throws: missing) { try store.delete(42) }
        #expect(throws: missing) { try store.lists(of: 42) }
        #expect(throws: missing) { try store.confirm(42) }
        #expect(throws: missing) { try store.erase(42) }
        #expect(try store.contact(id: 42) == nil)
    }

    @Test func deleteRemovesMembershipsAndConsent() throws {
        let id = try #require(try store.create(ContactInput(email: "a@example.com", lists: ["news"])).id)
        try store.delete(id)
        #expect(try store.contact(id: id) == nil && store.consent(of: id) == nil)
        #expect(try store.count(list: "news") == 0)
        #expect(try ListStore(database: database).list(named: "news")?.members == 0)
    }

    @Test func pagesFilterByListSegmentAndPrefix() throws {
        for index in 0..<25 {
            try store.create(
                ContactInput(
                    email: "user\(index)@example.com", tags: index % 2 == 0 ? ["even"] : [],
                    lists: index < 10 ? ["first-ten"] : []))
        }
        try store.create(ContactInput(email: "other@example.org"))
        let first = try store.list(page: 1, perPage: 10)
        #expect(first.total == 26 && first.items.count == 10 && first.items.first?.email == "user0@example.com")
        let third = try store.list(page: 3, perPage: 10)
        #expect(third.items.map(\.email) == (20..<25).map { "user\($0)@example.com" } + ["other@example.org"])
        #expect(try store.list(page: 4, perPage: 10).items.isEmpty)
        #expect(try store.list(list: "first-ten").total == 10)
        #expect(try store.list(segment: Segment(json: #"{"tag": "even"}"#)).total == 13)
        let evenOfTen = try store.list(list: "first-ten", segment: Segment(json: #"{"tag": "even"}"#))
        #expect(evenOfTen.total == 5)
        // The prefix is normalised like an address; LIKE wildcards are plain text.
        #expect(try store.list(query: "USER1").total == 11)  // 1, 10–19
        #expect(try store.list(query: "user2").items.map(\.email).count == 6)  // 2, 20–24
        #expect(try store.list(query: "other@EXAMPLE").total == 1)
        #expect(try store.list(query: "user_").total == 0 && store.list(query: "%").total == 0)
        #expect(try store.list(query: "").total == 26)
        #expect(throws: CampaignStoreError.invalid(field: "page", reason: "must be 1 or more")) {
            try store.list(page: 0)
        }
        #expect(throws: CampaignStoreError.invalid(field: "per_page", reason: "must be 1 to 1000")) {
            try store.list(perPage: 1001)
        }
    }
}
