import Campaigns
import Foundation
import Storage
import Suppression
import Testing

@Suite struct ContactImporterTests {
    func database() throws -> PetrelDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-contacts-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
    }

    func run(_ csv: String, into database: PetrelDatabase, list: String? = nil) throws -> ContactImporter.Summary {
        let importer = try ContactImporter(database: database, list: list, batchSize: 2)
        try importer.feed(Array(csv.utf8))
        return try importer.finish()
    }

    @Test func badRowsAreReportedByLineAndGoodRowsKept() throws {
        let database = try database()
        let summary = try run(
            """
            email,first_name,last_name,tags,status,city
            Ann@Example.com,Ann,Lee,"vip, news",,Paris
            not-an-address,X,Y,,,
            carol@example.com,Carol
            dave@example.com,Dave,D,,maybe,Rome
            erin@example,Erin,E,,,
            bob@example.com,Bob,"O""Brien",,unsubscribed,"New
            York"
            ann@example.com,Anne,Lee,vip,,Lyon

            """, into: database, list: "news")
        #expect(
            summary.errors.map(\.description) == [
                "line 3: email: no @",
                "line 4: expected 6 fields, got 2",
                "line 5: status: \"maybe\" is not one of subscribed, unsubscribed, bounced, complained",
                "line 6: email: domain example is not a domain name",
            ])
        #expect(summary.rows == 7 && summary.inserted == 2 && summary.updated == 1 && summary.duplicates == 1)
        let store = ContactStore(database: database)
        #expect(try store.count() == 2 && store.count(list: "news") == 2)
        let ann = try #require(try store.contact(email: "ann@example.com"))
        #expect(ann.firstName == "Anne" && ann.tags == ["vip"] && ann.fields == ["city": "Lyon"])
        let bob = try #require(try store.contact(email: "bob@example.com"))
        #expect(bob.lastName == "O\"Brien" && bob.status == .unsubscribed && bob.fields["city"] == "New\nYork")
    }

    @Test func aReimportUpdatesMergesFieldsAndNeverResubscribes() throws {
        let database = try database()
        _ = try run("email,status,city\nbob@example.com,unsubscribed,Paris\n", into: database)
        let again = try run("email,first_name,status,plan\nbob@example.com,Bob,subscribed,pro\n", into: database)
        #expect(again.inserted == 0 && again.updated == 1 && again.errors.isEmpty)
        let bob = try #require(try ContactStore(database: database).contact(email: "bob@example.com"))
        #expect(bob.firstName == "Bob")
        #expect(bob.status == .unsubscribed, "an import must not resubscribe someone who left")
        #expect(bob.fields == ["city": "Paris", "plan": "pro"])
    }

    @Test func aFileWithoutEmailColumnImportsNothingAndSaysWhy() throws {
        let database = try database()
        let summary = try run("name,city\nAnn,Paris\n", into: database)
        #expect(summary.errors.map(\.description) == ["line 1: header: no \"email\" column"])
        #expect(try ContactStore(database: database).count() == 0)
        let empty = try run("", into: database)
        #expect(empty.errors.map(\.description) == ["line 1: empty file: no header row"])
    }
}

@Suite struct ContactSuppressionTests {
    @Test func suppressionsMarkTheContactAndManualOnesLeaveIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-contacts-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
        let importer = try ContactImporter(database: database)
        try importer.feed(Array("email\na@example.com\nb@example.com\nc@example.com\nd@example.com\n".utf8))
        try importer.finish()
        let contacts = ContactStore(database: database)
        let cases: [(String, SuppressionEntry.Kind, ContactStatus)] = [
            ("a@example.com", .complaint, .complained), ("b@example.com", .unsubscribe, .unsubscribed),
            ("c@example.com", .hardBounce, .bounced), ("d@example.com", .manual, .subscribed),
        ]
        for (address, kind, expected) in cases {
            try contacts.apply(SuppressionEntry(address: address, kind: kind, reason: "r", source: "s"))
            #expect(try contacts.contact(email: address)?.status == expected, "\(kind)")
        }
        // An address without a contact changes nothing and is no error.
        #expect(
            try !contacts.apply(SuppressionEntry(address: "x@example.com", kind: .complaint, reason: "", source: "")))
    }
}
