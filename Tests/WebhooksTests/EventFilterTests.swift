import Foundation
import Testing

@testable import Webhooks

/// Scenario: only active webhooks subscribed to an event receive it.
@Suite struct EventFilterTests {
    @Test func onlyActiveSubscribersReceiveAnEvent() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())

        try await TestReceiver.with(statuses: [.ok]) { receiver in
            let bouncedOnly = try store.create(url: receiver.url(path: "/bounced"), events: ["bounced"])
            let inactive = try store.create(url: receiver.url(path: "/inactive"), events: ["opened"])
            _ = try store.update(id: inactive.id, active: false)
            let subscriber = try store.create(url: receiver.url(path: "/opened"), events: ["clicked", "opened"])

            let dispatcher = WebhookDispatcher(store: store, logger: quietLogger)
            try await whileRunning(dispatcher) {
                let ids = try await dispatcher.publish(.opened, data: ["link": "https://example.com/"])
                #expect(ids.count == 1)
                #expect(try await dispatcher.publish(.unsubscribed, data: [:]).isEmpty)
                let reached = await eventually { receiver.requests.count == 1 }
                #expect(reached)
                try await Task.sleep(for: .milliseconds(200))  // room for a wrong second request
            }
            #expect(receiver.requests.map(\.uri) == ["/opened"])
            #expect(try store.deliveries(webhookID: subscriber.id).count == 1)
            #expect(try store.deliveries(webhookID: bouncedOnly.id).isEmpty)
            #expect(try store.deliveries(webhookID: inactive.id).isEmpty)
        }
    }

    @Test func deactivatedWebhookKeepsItsPendingDeliveryUnsent() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())

        try await TestReceiver.with(statuses: [.ok]) { receiver in
            let webhook = try store.create(url: receiver.url(), events: ["delivered"])
            let dispatcher = WebhookDispatcher(store: store, logger: quietLogger)
            let id = try #require(try await dispatcher.publish(.delivered, data: [:]).first)
            _ = try store.update(id: webhook.id, active: false)
            try await whileRunning(dispatcher) {
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.requests.isEmpty)
                _ = try store.update(id: webhook.id, active: true)
                let reached = try await eventually { try store.delivery(id: id).status == .delivered }
                #expect(reached)
            }
            #expect(receiver.requests.count == 1)
        }
    }
}
