import Foundation
import Testing

@testable import Webhooks

/// Scenario: an idle worker with a long sleep is woken by `publish` and by `retryNow`, not by polling.
@Suite struct WakeUpTests {
    @Test func publishAndRetryNowWakeAnIdleWorker() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let settings = WebhookDispatcher.Settings(firstRetry: 60, maxAttempts: 1, maxSleep: 60)

        try await TestReceiver.with(statuses: [.badGateway, .ok]) { receiver in
            _ = try store.create(url: receiver.url(), events: ["automation_step_done"])
            let dispatcher = WebhookDispatcher(store: store, settings: settings, logger: quietLogger)
            try await whileRunning(dispatcher) {
                try await Task.sleep(for: .milliseconds(200))  // the worker has found nothing and sleeps
                let id = try #require(try await dispatcher.publish(.automationStepDone, data: ["step": 2]).first)
                let failedSoon = try await eventually(timeout: 1.5) { try store.delivery(id: id).status == .failed }
                #expect(failedSoon)

                try await dispatcher.retryNow(deliveryID: id)
                let deliveredSoon = try await eventually(timeout: 1.5) {
                    try store.delivery(id: id).status == .delivered
                }
                #expect(deliveredSoon)
                #expect(receiver.requests.count == 2)
            }
        }
    }
}
