import Foundation
import Logging
import ServiceLifecycle
import Webhooks

/// Publishes Petrel's events to the webhooks subscribed to them (`/api/v1/webhooks`): the dispatcher stores a
/// delivery per subscriber and posts it, signed and retried. Publishing never blocks the caller.
struct WebhookEvents: Sendable {
    let dispatcher: WebhookDispatcher
    let logger: Logger

    /// Whether any active webhook subscribes to `event`: callers skip building its data otherwise.
    func wants(_ event: WebhookEvent) -> Bool { dispatcher.store.hasSubscribers(event) }

    func publish(_ event: WebhookEvent, _ data: [String: JSONValue]) {
        guard wants(event) else { return }
        let dispatcher = dispatcher
        let logger = logger
        Task {
            do {
                try await dispatcher.publish(event, data: data)
            } catch {
                logger.error("webhook event not stored", metadata: ["event": "\(event.rawValue)", "error": "\(error)"])
            }
        }
    }

    /// Data values from strings, leaving out empty ones.
    static func strings(_ values: [String: String?]) -> [String: JSONValue] {
        values.reduce(into: [:]) { data, entry in
            if let value = entry.value, !value.isEmpty { data[entry.key] = .string(value) }
        }
    }
}

/// Runs the webhook dispatcher; at graceful shutdown lets the requests in flight finish.
struct WebhookService: Service {
    let dispatcher: WebhookDispatcher

    func run() async throws {
        await withGracefulShutdownHandler {
            await dispatcher.run()
        } onGracefulShutdown: {
            Task { await dispatcher.shutdown() }
        }
    }
}
