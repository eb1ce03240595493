import Campaigns
import Foundation
import Storage
import Testing

/// The importer's multi-row batches against the row-by-row meaning: counts, repeats across and within
/// statements and batches, list memberships of new and existing contacts.
@Suite struct ContactImporterBatchTests {
    @Test(arguments: [1, 7, 64, 65, 1000])
    func batchesDoNotChangeTheOutcome(batchSize: Int) throws {
        let database = try TestDatabase.make()
        let contacts = ContactStore(database: database)
        // 100 existing contacts u0…u99 (ids 1…100) on the list, then those with an even id taken off it.
        var before = "email,first_name,plan\n"
        for index in 0..<100 { before += "u\(index)@example.com,Old\(index),basic\n" }
        let first = try ContactImporter(database: database, list: index(0))
        try first.feed(Array(before.utf8))
        try first.finish()
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM list_member WHERE contact_id % 2 = 0")
        }

        // 150 rows: u50…u149 (half existing), every tenth repeated later in the file.
        var csv = "email,first_name,city\n"
        for index in 50..<150 { csv += "U\(index)@Example.com,New\(index),C\(index)\n" }
        for index in stride(from: 50, to: 150, by: 10) { csv += "u\(index)@example.com,Again\(index),\n" }
        let importer = try ContactImporter(database: database, list: index(0), batchSize: batchSize)
        var bytes = Array(csv.utf8)[...]
        while !bytes.isEmpty {  // odd chunk sizes
            try importer.feed(bytes.prefix(97))
            bytes = bytes.dropFirst(97)
        }
        let summary = try importer.finish()
        #expect(summary.rows == 110 && summary.inserted == 50 && summary.updated == 60 && summary.duplicates == 10)
        #expect(summary.errors.isEmpty)
        #expect(try contacts.count() == 150)
        // u50…u149 on it again, and the 25 of u0…u49 that stayed.
        #expect(try contacts.count(list: index(0)) == 125)
        let u60 = try #require(try contacts.contact(email: "u60@example.com"))
        #expect(u60.firstName == "Again60" && u60.fields == ["plan": "basic", "city": "C60"])
        let u61 = try #require(try contacts.contact(email: "u61@example.com"))
        #expect(u61.firstName == "New61" && u61.fields == ["plan": "basic", "city": "C61"])
        let u120 = try #require(try contacts.contact(email: "u120@example.com"))
        #expect(u120.firstName == "Again120" && u120.fields == ["city": "C120"])
    }

    func index(_ number: Int) -> String { "list\(number)" }

    @Test func tagsAndFieldsBecomeJSONWithEscapes() throws {
        let database = try TestDatabase.make()
        let importer = try ContactImporter(database: database)
        try importer.feed(
            Array(
                "email,tags,Note,note,b\na@example.com,\" x , \"\"q\"\" ,,y\\\\z \",\"line\nbreak\",,second\n".utf8))
        #expect(try importer.finish().errors.isEmpty)
        let contact = try #require(try ContactStore(database: database).contact(email: "a@example.com"))
        #expect(contact.tags == ["x", "\"q\"", "y\\\\z"])
        #expect(contact.fields == ["Note": "line\nbreak", "b": "second"])
    }
}
