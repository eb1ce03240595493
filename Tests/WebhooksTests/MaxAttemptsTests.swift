import Foundation
import Testing

@testable import Webhooks

/// Scenario: the receiver always fails; after `maxAttempts` the delivery is `failed`, and `retryNow`
/// gives it one more attempt.
@Suite struct MaxAttemptsTests {
    @Test func deliveryFailsAfterMaxAttemptsAndRetryNowSendsItAgain() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let settings = WebhookDispatcher.Settings(firstRetry: 0.05, maxRetry: 0.1, maxAttempts: 3)

        try await TestReceiver.with(statuses: [.internalServerError]) { receiver in
            _ = try store.create(url: receiver.url(), events: ["complained"])
            let dispatcher = WebhookDispatcher(store: store, settings: settings, logger: quietLogger)
            try await whileRunning(dispatcher) {
                let id = try #require(try await dispatcher.publish(.complained, data: [:]).first)
                let failedInTime = try await eventually { try store.delivery(id: id).status == .failed }
                #expect(failedInTime)
                try await Task.sleep(for: .milliseconds(300))  // a fourth attempt would come by now

                #expect(receiver.requests.count == 3)
                let failed = try store.delivery(id: id)
                #expect(failed.attempts == 3)
                #expect(failed.lastStatus == 500)
                #expect(failed.finished != nil)
                #expect(try store.attempts(deliveryID: id).map(\.statusCode) == [500, 500, 500])

                receiver.answer(with: [.noContent])
                try await dispatcher.retryNow(deliveryID: id)
                let deliveredInTime = try await eventually { try store.delivery(id: id).status == .delivered }
                #expect(deliveredInTime)
                #expect(receiver.requests.count == 4)
                #expect(try store.delivery(id: id).attempts == 4)

                await #expect(
                    throws: WebhookError.invalid(field: "status", reason: "delivery \(id) was already delivered")
                ) {
                    try await dispatcher.retryNow(deliveryID: id)
                }
                await #expect(throws: WebhookError.notFound(id: 9999)) {
                    try await dispatcher.retryNow(deliveryID: 9999)
                }
            }
        }
    }
}
