import Foundation
import Testing

@testable import Webhooks

/// `hasSubscribers` answers from memory and follows every write made through the store or a copy of it.
@Suite struct SubscriptionCacheTests {
    @Test func followsCreateUpdateAndDelete() throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let copy = store
        #expect(!store.hasSubscribers(.delivered))
        let webhook = try copy.create(url: "https://hooks.example.com/a", events: ["delivered"])
        #expect(store.hasSubscribers(.delivered))
        #expect(!store.hasSubscribers(.bounced))
        _ = try copy.update(id: webhook.id, events: ["bounced"])
        #expect(!store.hasSubscribers(.delivered))
        #expect(store.hasSubscribers(.bounced))
        _ = try store.update(id: webhook.id, active: false)
        #expect(!copy.hasSubscribers(.bounced))
        _ = try store.update(id: webhook.id, active: true)
        #expect(copy.hasSubscribers(.bounced))
        try copy.delete(id: webhook.id)
        #expect(!store.hasSubscribers(.bounced))
        // An automation's step webhook subscribes to nothing.
        _ = try store.stepWebhook(url: "https://hooks.example.com/step")
        #expect(!store.hasSubscribers(.automationStepDone))
    }
}
