import Campaigns
import Foundation
import Storage
import Testing

@Suite struct SegmentTests {
    /// 1,000 contacts: n@example.com, city by n % 4, plan pro for n % 3 == 0, score = n, tag vip for n % 10 == 0,
    /// status unsubscribed for n % 7 == 0.
    static func database() throws -> PetrelDatabase {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-segments-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
        var csv = "email,first_name,tags,status,city,plan,score\n"
        let cities = ["Paris", "Lyon", "Rome", "Oslo"]
        for n in 0..<1000 {
            csv += "user\(n)@example.com,Name\(n),\(n % 10 == 0 ? "vip" : ""),\(n % 7 == 0 ? "unsubscribed" : ""),"
            csv += "\(cities[n % 4]),\(n % 3 == 0 ? "pro" : ""),\(n)\n"
        }
        let importer = try ContactImporter(database: database)
        try importer.feed(Array(csv.utf8))
        #expect(try importer.finish().errors.isEmpty)
        return database
    }

    static let shared = Result { try database() }

    func count(_ json: String) throws -> Int {
        try ContactStore(database: Self.shared.get()).count(segment: Segment(json: json))
    }

    /// The same predicate in Swift, over the generated contacts.
    func expected(_ predicate: (Int) -> Bool) -> Int { (0..<1000).filter(predicate).count }

    @Test func operatorsAndOperands() throws {
        #expect(try count(#"{"field": "status", "op": "equals", "value": "subscribed"}"#) == expected { $0 % 7 != 0 })
        #expect(
            try count(#"{"field": "status", "op": "not_equals", "value": "subscribed"}"#) == expected { $0 % 7 == 0 })
        #expect(try count(#"{"custom": "city", "op": "in", "value": ["Paris", "Oslo"]}"#) == 500)
        #expect(try count(#"{"custom": "plan", "op": "exists"}"#) == expected { $0 % 3 == 0 })
        #expect(try count(#"{"custom": "score", "op": "greater", "value": 989}"#) == 10)
        #expect(try count(#"{"custom": "score", "op": "less", "value": 10}"#) == 10)
        #expect(try count(#"{"field": "email", "op": "starts_with", "value": "USER99"}"#) == 11)  // 99, 990–999
        #expect(try count(#"{"field": "first_name", "op": "contains", "value": "e5"}"#) == 1 + 10 + 100)
        #expect(try count(#"{"tag": "vip"}"#) == 100)
        // LIKE wildcards in a value are literal.
        #expect(try count(#"{"field": "email", "op": "contains", "value": "%"}"#) == 0)
        #expect(try count(#"{"field": "created", "op": "greater", "value": "2000-01-01T00:00:00Z"}"#) == 1000)
    }

    @Test func combinators() throws {
        let json = """
            {"and": [
                {"field": "status", "op": "equals", "value": "subscribed"},
                {"or": [{"custom": "city", "op": "equals", "value": "Paris"}, {"tag": "vip"}]},
                {"not": {"custom": "plan", "op": "exists"}}
            ]}
            """
        #expect(try count(json) == expected { $0 % 7 != 0 && ($0 % 4 == 0 || $0 % 10 == 0) && $0 % 3 != 0 })
        var preview: [String] = []
        try ContactStore(database: Self.shared.get()).forEach(segment: Segment(json: json), limit: 3) {
            preview.append($0.email)
        }
        #expect(preview == ["user4@example.com", "user8@example.com", "user10@example.com"])
    }

    @Test(arguments: [
        (#"{"and": []}"#, "and: expected a non-empty array of conditions"),
        (
            #"{"and": [{"field": "colour", "op": "equals", "value": "x"}]}"#,
            "and[0].field: unknown field \"colour\"; one of created, email, first_name, last_name, status, updated"
        ),
        (
            #"{"or": [{"tag": "a"}, {"custom": "city", "op": "like", "value": "x"}]}"#,
            "or[1].op: unknown operator \"like\"; one of equals, not_equals, contains, starts_with, greater, less, in, exists"
        ),
        (#"{"not": {"custom": "city", "op": "in", "value": "Paris"}}"#, "not.value: \"in\" takes a non-empty array"),
        (
            #"{"custom": "x'); DROP TABLE contact; --", "op": "exists"}"#,
            "custom: custom field names are letters, digits, space, _ - ."
        ),
        (#"{"custom": "city", "op": "equals"}"#, "value: missing"),
        (#"{"custom": "city", "op": "equals", "value": true}"#, "value: expected a string or a number"),
        (#"[1]"#, "expected an object"),
    ])
    func invalidSegmentsNameTheMember(json: String, message: String) {
        #expect(throws: Segment.Invalid.self) { try Segment(json: json) }
        do {
            _ = try Segment(json: json)
        } catch {
            #expect(error.description == message)
        }
    }
}
