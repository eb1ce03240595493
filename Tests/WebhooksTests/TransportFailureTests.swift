import Foundation
import Testing

@testable import Webhooks

/// Scenario: no answer at all — a closed port, a receiver that never replies — counts as a failed attempt
/// with the error recorded instead of a status code.
@Suite struct TransportFailureTests {
    @Test func refusedConnectionsAreRecordedAsErrorsUntilFailed() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let closed = try await TestReceiver.start(statuses: [.ok])
        let url = closed.url()
        try await closed.close()

        _ = try store.create(url: url, events: ["deferred"])
        let settings = WebhookDispatcher.Settings(firstRetry: 0.05, maxAttempts: 2, timeout: 0.3)
        let dispatcher = WebhookDispatcher(store: store, settings: settings, logger: quietLogger)
        try await whileRunning(dispatcher) {
            let id = try #require(try await dispatcher.publish(.deferred, data: ["queue_id": "4F2A"]).first)
            let reached = try await eventually { try store.delivery(id: id).status == .failed }
            #expect(reached)
            let attempts = try store.attempts(deliveryID: id)
            #expect(attempts.count == 2)
            #expect(attempts.allSatisfy { $0.statusCode == nil && $0.error?.isEmpty == false })
            let delivery = try store.delivery(id: id)
            #expect(delivery.lastStatus == nil)
            #expect(delivery.lastError?.isEmpty == false)
        }
    }

    @Test func silentReceiverTimesOutAndTheRetrySucceeds() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let settings = WebhookDispatcher.Settings(firstRetry: 0.05, timeout: 0.3)

        try await TestReceiver.with(statuses: [nil, .ok]) { receiver in
            _ = try store.create(url: receiver.url(), events: ["opened"])
            let dispatcher = WebhookDispatcher(store: store, settings: settings, logger: quietLogger)
            try await whileRunning(dispatcher) {
                let id = try #require(try await dispatcher.publish(.opened, data: [:]).first)
                let reached = try await eventually { try store.delivery(id: id).status == .delivered }
                #expect(reached)
                let attempts = try store.attempts(deliveryID: id)
                #expect(attempts.map(\.statusCode) == [nil, 200])
                #expect(attempts.first?.error?.isEmpty == false)
                #expect((attempts.first?.duration ?? 0) >= 0.25)
                #expect(receiver.requests.count == 2)
            }
        }
    }

    @Test func shutdownWaitsForTheRequestInFlight() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let settings = WebhookDispatcher.Settings(firstRetry: 60, timeout: 0.5)

        try await TestReceiver.with(statuses: [nil]) { receiver in
            _ = try store.create(url: receiver.url(), events: ["clicked"])
            let dispatcher = WebhookDispatcher(store: store, settings: settings, logger: quietLogger)
            let worker = Task { await dispatcher.run() }
            let id = try #require(try await dispatcher.publish(.clicked, data: [:]).first)
            let reached = await eventually { receiver.requests.count == 1 }
            #expect(reached)
            await dispatcher.shutdown()
            await worker.value
            // The attempt finished (timed out) and was recorded before shutdown returned.
            #expect(try store.attempts(deliveryID: id).count == 1)
            #expect(try store.delivery(id: id).status == .pending)
        }
    }
}
