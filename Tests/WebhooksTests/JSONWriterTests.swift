import Foundation
import Testing

@testable import Webhooks

/// Byte-exact output of the payload serialiser (RFC 8259).
@Suite struct JSONWriterTests {
    @Test(arguments: [
        (JSONValue.string("plain"), #""plain""#),
        (.string("quote \" backslash \\ slash /"), #""quote \" backslash \\ slash /""#),
        (.string("line\nreturn\rtab\t\u{01}\u{1F}"), #""line\nreturn\rtab\t\u0001\u001f""#),
        (.string("Grüße ✉"), "\"Grüße ✉\""),
        (.int(-42), "-42"),
        (.double(1.5), "1.5"),
        (.bool(true), "true"),
        (.null, "null"),
        (.array([1, "a", nil]), #"[1,"a",null]"#),
        (.object(["b": 2, "a": ["x": false]]), #"{"a":{"x":false},"b":2}"#),
        (.object([:]), "{}"),
    ])
    func writesCompactJSON(value: JSONValue, expected: String) throws {
        var writer = JSONWriter()
        try writer.write(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        // And a standard parser reads back the same value.
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(writer.bytes))
        #expect(decoded == value)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteNumbersAreRefused(number: Double) {
        var writer = JSONWriter()
        #expect(throws: WebhookError.self) { try writer.write(.object(["n": .double(number)])) }
    }

    @Test func payloadHasTheDocumentedEnvelope() throws {
        let payload = try WebhookPayload(
            event: .campaignFinished, data: ["sent": 1200, "campaign": "spring"],
            created: Date(timeIntervalSince1970: 1_738_315_800))
        #expect(
            payload.body(deliveryID: 42)
                == #"{"id":"42","event":"campaign_finished","created":"2025-01-31T09:30:00Z","data":{"campaign":"spring","sent":1200}}"#
        )
    }
}
