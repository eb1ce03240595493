import Campaigns
import Foundation
import Storage
import Testing

@Suite struct ConsentTests {
    let database: PetrelDatabase
    let store: ContactStore
    let time = Date(timeIntervalSince1970: 1_700_000_000)

    init() throws {
        database = try TestDatabase.make()
        store = ContactStore(database: database)
    }

    @Test func doubleOptInStartsPendingOutOfAudiencesUntilConfirmed() throws {
        let created = try store.create(
            ContactInput(email: "ann@example.com", doubleOptIn: true, consentSource: "form", consentIP: "192.0.2.1"),
            time: time)
        let id = try #require(created.id)
        #expect(created.status == .pending)
        let subscribed = try Segment(json: #"{"field": "status", "op": "equals", "value": "subscribed"}"#)
        #expect(try store.count(segment: subscribed) == 0)
        let consent = try #require(try store.consent(of: id))
        #expect(consent == Consent(contactID: id, source: "form", ip: "192.0.2.1", time: time))

        let later = time.addingTimeInterval(300)
        let confirmed = try store.confirm(id, time: later, ip: "192.0.2.9")
        #expect(confirmed.status == .subscribed && confirmed.updated == later)
        #expect(try store.consent(of: id)?.confirmed == later)
        #expect(try store.count(segment: subscribed) == 1)
        // A second confirmation keeps the first time.
        try store.confirm(id, time: later.addingTimeInterval(60))
        #expect(try store.consent(of: id)?.confirmed == later)
    }

    @Test func confirmingNeverResubscribes() throws {
        let id = try #require(try store.create(ContactInput(email: "bob@example.com", doubleOptIn: true)).id)
        try store.update(id, ContactPatch(status: .unsubscribed))
        #expect(try store.confirm(id, time: time).status == .unsubscribed)
        #expect(try store.consent(of: id)?.confirmed == time)
    }

    @Test func aContactWithoutConsentGetsOneWhenConfirmed() throws {
        let importer = try ContactImporter(database: database)
        try importer.feed(Array("email\ncarol@example.com\n".utf8))
        try importer.finish()
        let id = try #require(try store.contact(email: "carol@example.com")?.id)
        #expect(try store.consent(of: id) == nil)
        try store.confirm(id, time: time, ip: "198.51.100.7")
        #expect(
            try store.consent(of: id)
                == Consent(contactID: id, source: "double-opt-in", ip: "198.51.100.7", time: time, confirmed: time))
    }

    @Test func anImportCannotSetPendingNorConfirmAPendingContact() throws {
        let id = try #require(try store.create(ContactInput(email: "dave@example.com", doubleOptIn: true)).id)
        let importer = try ContactImporter(database: database)
        try importer.feed(Array("email,status\ndave@example.com,subscribed\nerin@example.com,pending\n".utf8))
        let summary = try importer.finish()
        #expect(
            summary.errors.map(\.description) == [
                "line 3: status: \"pending\" is not one of subscribed, unsubscribed, bounced, complained"
            ])
        #expect(try store.contact(id: id)?.status == .pending)
    }
}
