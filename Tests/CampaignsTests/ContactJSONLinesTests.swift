import Foundation
import Testing

@testable import Campaigns

@Suite struct ContactJSONLinesTests {
    @Test func oneObjectPerLineInIdOrder() throws {
        let store = ContactStore(database: try TestDatabase.make())
        let time = Date(timeIntervalSince1970: 1_700_000_000.75)
        try store.create(
            ContactInput(
                email: "ann@example.com", firstName: "Ann \"A\"", lastName: "Lee\\\n", tags: ["vip", "ünï"],
                fields: ["zeta": "1", "alpha": "tab\there\u{1}"], lists: ["news", "b2b"]), time: time)
        try store.create(
            ContactInput(email: "bob@example.com", doubleOptIn: true), time: Date(timeIntervalSince1970: 0))
        var chunks: [String] = []
        let count = try store.writeJSONLines(chunkSize: 10) { chunks.append($0) }
        #expect(count == 2 && chunks.count == 2 && chunks.allSatisfy { $0.hasSuffix("\n") })
        let lines = chunks.joined().split(separator: "\n").map(String.init)
        #expect(
            lines[0]
                == #"{"id":1,"email":"ann@example.com","first_name":"Ann \"A\"","last_name":"Lee\\\n","status":"subscribed","tags":["vip","ünï"],"fields":{"alpha":"tab\there\u0001","zeta":"1"},"lists":["b2b","news"],"created":"2023-11-14T22:13:20Z","updated":"2023-11-14T22:13:20Z"}"#
        )
        #expect(
            lines[1]
                == #"{"id":2,"email":"bob@example.com","first_name":"","last_name":"","status":"pending","tags":[],"fields":{},"lists":[],"created":"1970-01-01T00:00:00Z","updated":"1970-01-01T00:00:00Z"}"#
        )
        // Every line is JSON that decodes back to the contact.
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let contact = try #require(try store.contact(id: (object["id"] as? NSNumber)?.int64Value ?? 0))
            #expect(object["last_name"] as? String == contact.lastName)
            #expect(object["fields"] as? [String: String] == contact.fields)
        }
        var filtered = ""
        try store.writeJSONLines(list: "news") { filtered += $0 }
        #expect(filtered.split(separator: "\n").count == 1)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
        (4_102_444_799.9, "2099-12-31T23:59:59Z"), (1_709_251_199, "2024-02-29T23:59:59Z"),
    ])
    func timesAreRFC3339InUTC(seconds: Double, text: String) throws {
        let store = ContactStore(database: try TestDatabase.make())
        try store.create(ContactInput(email: "a@example.com"), time: Date(timeIntervalSince1970: seconds))
        var out = ""
        try store.writeJSONLines { out += $0 }
        #expect(out.contains("\"created\":\"\(text)\""))
        #expect(try Date(text, strategy: .iso8601).timeIntervalSince1970 == seconds.rounded(.down))
    }
}

@Suite struct ContactFieldsDecodingTests {
    @Test(arguments: [
        #"{}"#, #"{"city":"Paris"}"#, #"{"a":"1","b":"x y"}"#, #"{ "a" : "1" , "b":"" }"#, #"{"q":"say \"hi\""}"#,
        #"{"u":"caf\u00e9"}"#, #"{"n":1}"#, #"{"a":"1",}"#, #"{"a":"1"} x"#, #"["a"]"#, #"{"ü":"ö"}"#,
    ])
    func matchesJSONDecoder(text: String) {
        let expected = (try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))) ?? [:]
        #expect(ContactStore.fields(text) == expected)
    }
}
