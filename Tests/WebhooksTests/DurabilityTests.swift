import Foundation
import Testing

@testable import Webhooks

/// Scenario: an event is published while no worker runs; a new dispatcher over the reopened database file
/// sends it.
@Suite struct DurabilityTests {
    @Test func pendingDeliveriesSurviveARestart() async throws {
        let database = try TestDatabase()
        defer { database.remove() }

        try await TestReceiver.with(statuses: [.ok]) { receiver in
            let first = try database.open()
            let firstStore = WebhookStore(database: first)
            _ = try firstStore.create(url: receiver.url(), events: ["campaign_finished"])
            let stopped = WebhookDispatcher(store: firstStore, logger: quietLogger)
            let ids = try await stopped.publish(.campaignFinished, data: ["campaign_id": 7])
            await stopped.shutdown()
            try first.close()
            try #require(ids.count == 1)
            #expect(receiver.requests.isEmpty)

            let reopened = try database.open()
            let store = WebhookStore(database: reopened)
            let pending = try store.delivery(id: ids[0])
            #expect(pending.status == .pending)
            #expect(pending.attempts == 0)

            let dispatcher = WebhookDispatcher(store: store, logger: quietLogger)
            try await whileRunning(dispatcher) {
                let reached = try await eventually { try store.delivery(id: ids[0]).status == .delivered }
                #expect(reached)
            }
            #expect(receiver.requests.count == 1)
            #expect(receiver.requests.first.map { Array($0.body) } == Array(pending.payload.utf8))
            #expect(receiver.requests.first?.headers["Petrel-Event"] == ["campaign_finished"])
        }
    }
}
