import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Performs one attempt of one delivery: signs and POSTs the stored body, then records the outcome.
///
/// Separate from the dispatcher actor so that requests run concurrently off the actor; it holds only
/// `Sendable` values.
struct WebhookSender: Sendable {
    let store: WebhookStore
    let settings: WebhookDispatcher.Settings
    let logger: Logger
    let httpClient: HTTPClient

    /// The answer body is read and dropped up to this many bytes; a receiver has nothing to tell us.
    private static let maxAnswerBytes = 64 * 1024

    @concurrent
    func attempt(_ delivery: DueDelivery) async {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        var statusCode: Int?
        var failure: String?
        do {
            statusCode = try await post(delivery)
        } catch {
            failure = String(describing: error)
        }
        let elapsed = clock.now - start
        let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let outcome = AttemptOutcome(
            deliveryID: delivery.id, started: started, duration: duration, statusCode: statusCode, error: failure)
        let metadata: Logger.Metadata = [
            "webhook_delivery": "\(delivery.id)", "event": "\(delivery.event)",
            "status": "\(statusCode.map(String.init) ?? "-")", "error": "\(failure ?? "-")",
        ]
        if outcome.succeeded {
            logger.debug("webhook delivered", metadata: metadata)
        } else {
            logger.info("webhook attempt failed", metadata: metadata)
        }
        do {
            try await store.record(outcome, maxAttempts: settings.maxAttempts, backoff: settings.backoff)
        } catch {
            // The delivery stays pending with its old due time and is attempted again: at-least-once.
            logger.error("webhook attempt not recorded", metadata: ["error": "\(error)"])
        }
    }

    /// POSTs the body and returns the answer's status code once the answer has been read.
    private func post(_ delivery: DueDelivery) async throws -> Int {
        let body = Array(delivery.payload.utf8)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Petrel-Webhooks/1")
        request.headers.add(name: "Petrel-Event", value: delivery.event)
        request.headers.add(name: "Petrel-Delivery", value: String(delivery.id))
        request.headers.add(
            name: WebhookSignature.headerName,
            value: WebhookSignature.header(
                secret: delivery.secret, timestamp: Int(Date().timeIntervalSince1970), body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(settings.timeout * 1e9))
        let response = try await httpClient.execute(request, deadline: deadline, logger: logger)
        var read = 0
        for try await chunk in response.body {
            read += chunk.readableBytes
            if read > Self.maxAnswerBytes { break }
        }
        return Int(response.status.code)
    }
}
