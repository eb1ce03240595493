import Foundation
import Hummingbird
import Webhooks

/// `/api/v1/webhooks`: subscriptions (URL, events, secret), their delivery log with every attempt, and a
/// retry. The secret is shown when a webhook is created (and by `GET /webhooks/{id}`), not in the list.
struct WebhooksController {
    let store: WebhookStore
    let dispatcher: WebhookDispatcher?

    struct Body: Decodable {
        var url: String?
        var events: [String]?
        var secret: String?
        var active: Bool?
        var description: String?
    }

    struct JSON: Encodable {
        var id: Int64
        var url: String
        var events: [String]
        var secret: String?
        var active: Bool
        var description: String
        var created: Date

        init(_ webhook: Webhook, secret: Bool) {
            id = webhook.id
            url = webhook.url
            events = webhook.events
            self.secret = secret ? webhook.secret : nil
            active = webhook.active
            description = webhook.description
            created = webhook.created
        }
    }

    struct DeliveryJSON: Encodable {
        var delivery: WebhookDelivery
        var attempts: [WebhookAttempt]

        func encode(to encoder: any Encoder) throws {
            try delivery.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(attempts, forKey: .attempts)
        }

        enum Keys: String, CodingKey { case attempts }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("webhooks") { _, _ in
            let all = try store.list()
            return JSONBody.response(
                Page(items: all.map { JSON($0, secret: false) }, total: all.count, page: 1, perPage: all.count))
        }
        router.post("webhooks") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            guard let url = body.url else { throw APIError.invalid("url", "url: required") }
            let webhook = try Self.mapped {
                try store.create(
                    url: url, events: body.events ?? [], secret: body.secret, description: body.description ?? "")
            }
            return JSONBody.response(JSON(webhook, secret: true), status: .created)
        }
        router.get("webhooks/:id") { _, context in
            let id = try context.parameters.id()
            return JSONBody.response(JSON(try Self.mapped { try store.get(id: id) }, secret: true))
        }
        router.patch("webhooks/:id") { request, context in
            let id = try context.parameters.id()
            let body = try await JSONBody.decode(Body.self, from: request)
            let webhook = try Self.mapped {
                try store.update(
                    id: id, url: body.url, events: body.events, active: body.active, description: body.description)
            }
            return JSONBody.response(JSON(webhook, secret: false))
        }
        router.delete("webhooks/:id") { _, context in
            let id = try context.parameters.id()
            try Self.mapped { try store.delete(id: id) }
            return Response(status: .noContent)
        }
        router.get("webhooks/:id/deliveries") { request, context in
            let id = try context.parameters.id()
            _ = try Self.mapped { try store.get(id: id) }
            let limit = try Pagination(request).perPage
            let deliveries = try store.deliveries(webhookID: id, limit: limit)
            return JSONBody.response(
                try deliveries.map { DeliveryJSON(delivery: $0, attempts: try store.attempts(deliveryID: $0.id)) })
        }
        router.post("webhooks/deliveries/:id/retry") { _, context in
            let id = try context.parameters.id()
            guard let dispatcher else {
                throw APIError(.serviceUnavailable, code: "unavailable", "webhook deliveries are not running")
            }
            try await Self.mappedAsync { try await dispatcher.retryNow(deliveryID: id) }
            return Response(status: .accepted)
        }
    }

    /// `WebhookError` as API errors: 400 naming the field, 404.
    static func mapped<Value>(_ body: () throws -> Value) throws -> Value {
        do { return try body() } catch let error as WebhookError { throw apiError(error) }
    }

    static func mappedAsync<Value>(_ body: () async throws -> Value) async throws -> Value {
        do { return try await body() } catch let error as WebhookError { throw apiError(error) }
    }

    static func apiError(_ error: WebhookError) -> APIError {
        switch error {
        case .invalid(let field, let reason): .invalid(field, "\(field): \(reason)")
        case .notFound(let id): .notFound("webhook \(id)")
        }
    }
}
