import Foundation
import GRDB
import Testing

@testable import Webhooks

/// The administration side of the store: validation names the field, secrets are generated, updates and
/// deletes reach the rows.
@Suite struct WebhookStoreTests {
    @Test(arguments: [
        ("ftp://example.com/hook", "url"),
        ("example.com/hook", "url"),
        ("http://", "url"),
        ("mailto:ops@example.com", "url"),
        ("", "url"),
    ])
    func invalidURLIsRefusedNamingTheField(url: String, field: String) throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        #expect {
            _ = try store.create(url: url, events: ["delivered"])
        } throws: { error in
            guard case WebhookError.invalid(let named, _) = error else { return false }
            return named == field
        }
        #expect(try store.list().isEmpty)
    }

    @Test(arguments: [[], ["delivered", "sent"], ["Delivered"]])
    func invalidEventsAreRefusedNamingTheField(events: [String]) throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        #expect {
            _ = try store.create(url: "https://example.com/hook", events: events)
        } throws: { error in
            guard case WebhookError.invalid(let named, _) = error else { return false }
            return named == "events"
        }
    }

    @Test func createGeneratesASecretAndKeepsAGivenOne() throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let first = try store.create(url: "https://example.com/a", events: ["opened", "opened", "clicked"])
        let second = try store.create(url: "HTTP://example.com/b", events: ["opened"], secret: "")
        let given = try store.create(
            url: "http://127.0.0.1:8080/c", events: ["opened"], secret: "s3cret", description: "ops")

        for webhook in [first, second] {
            #expect(webhook.secret.hasPrefix("whsec_"))
            let hex = webhook.secret.dropFirst("whsec_".count)
            #expect(hex.count == 64)
            #expect(hex.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(first.secret != second.secret)
        #expect(given.secret == "s3cret")
        #expect(first.events == ["opened", "clicked"])
        #expect(first.active)
        #expect(try store.get(id: given.id) == given)
        #expect(try store.list().map(\.id) == [first.id, second.id, given.id])
    }

    @Test func updateValidatesAndChangesOnlyTheGivenFields() throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let store = WebhookStore(database: try database.open())
        let webhook = try store.create(url: "https://example.com/a", events: ["opened"], description: "first")

        #expect(throws: WebhookError.invalid(field: "url", reason: "scheme must be http or https")) {
            try store.update(id: webhook.id, url: "gopher://example.com")
        }
        #expect {
            try store.update(id: webhook.id, events: ["nope"])
        } throws: { error in
            guard case WebhookError.invalid(let field, _) = error else { return false }
            return field == "events"
        }
        #expect(throws: WebhookError.notFound(id: webhook.id + 100)) {
            try store.update(id: webhook.id + 100, active: false)
        }

        let updated = try store.update(id: webhook.id, events: ["bounced", "deferred"], active: false)
        #expect(updated.url == webhook.url)
        #expect(updated.description == "first")
        #expect(updated.events == ["bounced", "deferred"])
        #expect(updated.active == false)
        #expect(try store.get(id: webhook.id) == updated)
    }

    @Test func deleteRemovesTheWebhookWithItsDeliveries() async throws {
        let database = try TestDatabase()
        defer { database.remove() }
        let pool = try database.open()
        let store = WebhookStore(database: pool)
        let webhook = try store.create(url: "https://example.invalid/a", events: ["opened"])
        let dispatcher = WebhookDispatcher(store: store, logger: quietLogger)
        let ids = try await dispatcher.publish(.opened, data: [:])
        await dispatcher.shutdown()
        #expect(ids.count == 1)

        try store.delete(id: webhook.id)
        #expect(throws: WebhookError.notFound(id: webhook.id)) { try store.get(id: webhook.id) }
        #expect(throws: WebhookError.notFound(id: webhook.id)) { try store.delete(id: webhook.id) }
        #expect(throws: WebhookError.notFound(id: ids[0])) { try store.delivery(id: ids[0]) }
        let orphans = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_delivery") }
        #expect(orphans == 0)
    }

    @Test func webhookEncodesWithSnakeCaseKeys() throws {
        let delivery = WebhookDelivery(
            id: 1, webhookID: 2, event: "opened", payload: "{}", status: .pending, attempts: 0,
            nextAttempt: Date(timeIntervalSince1970: 0), lastStatus: nil, lastError: nil,
            created: Date(timeIntervalSince1970: 0), finished: nil)
        let attempt = WebhookAttempt(
            id: 3, deliveryID: 1, time: Date(timeIntervalSince1970: 0), statusCode: 500, error: nil, duration: 0.5)
        let encoder = JSONEncoder()
        let deliveryJSON = try JSONDecoder().decode([String: JSONValue].self, from: encoder.encode(delivery))
        let attemptJSON = try JSONDecoder().decode([String: JSONValue].self, from: encoder.encode(attempt))
        #expect(deliveryJSON["webhook_id"] == 2)
        #expect(deliveryJSON["status"] == "pending")
        #expect(deliveryJSON["next_attempt"] != nil)
        #expect(attemptJSON["delivery_id"] == 1)
        #expect(attemptJSON["status_code"] == 500)
        // Round trip through the explicit keys.
        #expect(try JSONDecoder().decode(WebhookAttempt.self, from: encoder.encode(attempt)) == attempt)
        #expect(
            WebhookEvent.allCases.map(\.rawValue) == [
                "delivered", "bounced", "deferred", "opened", "clicked", "unsubscribed", "complained",
                "campaign_finished", "automation_step_done",
            ])
    }
}
