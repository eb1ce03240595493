import Foundation
import Testing

@testable import Webhooks

/// Scenario: one published event reaches a real HTTP receiver, signed, with the documented headers and
/// body.
@Suite struct SignedDeliveryTests {
    @Test func publishedEventArrivesSignedWithTheDocumentedBody() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())

        try await TestReceiver.with(statuses: [.ok]) { receiver in
            let webhook = try store.create(url: receiver.url(), events: ["delivered", "bounced"])
            let dispatcher = WebhookDispatcher(store: store, logger: quietLogger)
            let data: [String: JSONValue] = [
                "recipient": "alice@example.com", "attempt": 1, "tls": true, "mx": ["mx1.example.com"],
                "detail": nil, "reply": "250 2.0.0 Ok: \"queued\"\n",
            ]
            let ids = try await whileRunning(dispatcher) {
                let ids = try await dispatcher.publish(.delivered, data: data)
                let arrived = try await eventually {
                    let status = try store.delivery(id: ids[0]).status
                    return receiver.requests.count == 1 && status == .delivered
                }
                #expect(arrived)
                return ids
            }
            try #require(ids.count == 1)
            let deliveryID = ids[0]
            let request = try #require(receiver.requests.first)

            #expect(request.method == .POST)
            #expect(request.uri == "/hook")
            #expect(request.headers["Content-Type"] == ["application/json"])
            #expect(request.headers["User-Agent"] == ["Petrel-Webhooks/1"])
            #expect(request.headers["Petrel-Event"] == ["delivered"])
            #expect(request.headers["Petrel-Delivery"] == ["\(deliveryID)"])

            // The signature verifies, and matches HMAC-SHA256 computed from its definition.
            let signature = try #require(request.headers[WebhookSignature.headerName].first)
            #expect(WebhookSignature.verify(header: signature, secret: webhook.secret, body: request.body))
            let elements = Dictionary(
                uniqueKeysWithValues: signature.split(separator: ",").map { element in
                    let parts = element.split(separator: "=", maxSplits: 1)
                    return (String(parts[0]), parts.count == 2 ? String(parts[1]) : "")
                })
            let timestamp = try #require(elements["t"])
            let expected = ReferenceHMAC.sha256(
                key: Array(webhook.secret.utf8), message: Array((timestamp + ".").utf8) + request.body)
            #expect(elements["v1"] == ReferenceHMAC.hex(expected))
            let sent = try #require(Double(timestamp))
            #expect(abs(sent - Date().timeIntervalSince1970) < 30)

            // The body is the stored payload, byte for byte, and parses as the documented envelope.
            let delivery = try store.delivery(id: deliveryID)
            #expect(Array(delivery.payload.utf8) == request.body)
            let envelope = try JSONDecoder().decode([String: JSONValue].self, from: Data(request.body))
            #expect(envelope["id"] == .string("\(deliveryID)"))
            #expect(envelope["event"] == "delivered")
            #expect(envelope["data"] == .object(data))
            guard case .string(let created) = envelope["created"] else {
                Issue.record("created is not a string")
                return
            }
            let createdDate = try Date.ISO8601FormatStyle().parse(created)
            #expect(abs(createdDate.timeIntervalSinceNow) < 30)
            #expect(created.hasSuffix("Z"))
            #expect(
                String(decoding: request.body, as: UTF8.self).hasPrefix(
                    #"{"id":"\#(deliveryID)","event":"delivered","created":""#))

            // The bookkeeping: delivered after one attempt, which recorded the 200.
            #expect(delivery.status == .delivered)
            #expect(delivery.attempts == 1)
            #expect(delivery.lastStatus == 200)
            #expect(delivery.finished != nil)
            let attempts = try store.attempts(deliveryID: deliveryID)
            #expect(attempts.map(\.statusCode) == [200])
            #expect(attempts.first?.error == nil)
            #expect((attempts.first?.duration ?? -1) >= 0)
            #expect(try store.deliveries(webhookID: webhook.id).map(\.id) == [deliveryID])
        }
    }
}
