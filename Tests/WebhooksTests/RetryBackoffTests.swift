import Foundation
import Testing

@testable import Webhooks

/// Scenario: the receiver fails twice (500, 503) and then accepts; the same body is posted three times,
/// spaced by the backoff.
@Suite struct RetryBackoffTests {
    @Test func failedAttemptsAreRetriedWithIdenticalBodiesAfterTheBackoff() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        // A long idle sleep: only the timer set for the next attempt can wake the worker in time.
        let settings = WebhookDispatcher.Settings(firstRetry: 0.2, maxRetry: 10, maxAttempts: 5, maxSleep: 30)

        try await TestReceiver.with(statuses: [.internalServerError, .serviceUnavailable, .ok]) { receiver in
            let webhook = try store.create(url: receiver.url(), events: ["bounced"])
            let dispatcher = WebhookDispatcher(store: store, settings: settings, logger: quietLogger)
            let deliveryID = try await whileRunning(dispatcher) {
                let ids = try await dispatcher.publish(.bounced, data: ["recipient": "bob@example.net"])
                let id = try #require(ids.first)
                let done = try await eventually { try store.delivery(id: id).status == .delivered }
                #expect(done)
                return id
            }

            let requests = receiver.requests
            try #require(requests.count == 3)
            #expect(Set(requests.map(\.body)).count == 1)
            #expect(requests.allSatisfy { $0.headers["Petrel-Delivery"] == ["\(deliveryID)"] })
            for request in requests {
                let signature = try #require(request.headers[WebhookSignature.headerName].first)
                #expect(WebhookSignature.verify(header: signature, secret: webhook.secret, body: request.body))
            }

            // 0.2 s then 0.4 s, each ±10 %; the upper bound shows the worker woke on its timer.
            let firstGap = requests[1].time.timeIntervalSince(requests[0].time)
            let secondGap = requests[2].time.timeIntervalSince(requests[1].time)
            #expect(firstGap >= 0.18 && firstGap < 1.5, "first gap \(firstGap)")
            #expect(secondGap >= 0.36 && secondGap < 1.7, "second gap \(secondGap)")

            let attempts = try store.attempts(deliveryID: deliveryID)
            #expect(attempts.map(\.statusCode) == [500, 503, 200])
            #expect(attempts.allSatisfy { $0.error == nil })
            let delivery = try store.delivery(id: deliveryID)
            #expect(delivery.status == .delivered)
            #expect(delivery.attempts == 3)
            #expect(delivery.lastStatus == 200)
        }
    }
}
