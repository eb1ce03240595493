import AsyncHTTPClient
import Foundation
import Logging

/// Sends webhook deliveries: `publish` records them in SQLite, `run` posts them, retrying with backoff.
///
/// Delivery is at-least-once. A delivery is written before anything is sent and marked done only after a
/// 2xx answer has been recorded, so deliveries pending when Petrel stopped or crashed are sent when `run`
/// starts again; one that was in flight at a crash is simply sent again, so receivers deduplicate on the
/// body's `id` (also the `Petrel-Delivery` header).
///
/// Every attempt POSTs the stored body unchanged, signed afresh (`WebhookSignature`) with the current time.
/// Redirects are not followed when the dispatcher owns its HTTP client: a signed body goes only to the URL
/// the administrator configured, and a 3xx counts as a failure.
///
/// Lifecycle: run `run()` in a long-lived task; end it by cancelling that task or with `shutdown()`, which
/// also lets requests in flight finish (each is bounded by `Settings.timeout`) and shuts down the HTTP
/// client the dispatcher created. Call `shutdown()` before dropping a dispatcher that owns its client.
public actor WebhookDispatcher {
    /// Shared with the API, whose writes refresh the subscribed events that `hasSubscribers` reads.
    public nonisolated let store: WebhookStore
    private let settings: Settings
    private let logger: Logger
    private let httpClient: HTTPClient
    private let ownsHTTPClient: Bool
    /// Wake-ups for the worker, from `publish`, `retryNow`, finished attempts and the sleep timer; one
    /// buffered element is enough because the worker re-reads the database on every wake-up.
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private var phase = Phase.idle
    private var inFlight: [Int64: Task<Void, Never>] = [:]
    private var timer: Task<Void, Never>?
    private var httpClientShutDown = false

    private enum Phase {
        case idle
        case running
        case stopped
    }

    /// - Parameter httpClient: a client to share; nil makes the dispatcher create one on the shared event
    ///   loop group, with redirects disallowed, and shut it down in `shutdown()`.
    public init(store: WebhookStore, settings: Settings = Settings(), logger: Logger, httpClient: HTTPClient? = nil) {
        self.store = store
        self.settings = settings
        self.logger = logger
        if let httpClient {
            self.httpClient = httpClient
            ownsHTTPClient = false
        } else {
            self.httpClient = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
            ownsHTTPClient = true
        }
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `event` for every active webhook subscribed to it and wakes the worker; returns the new
    /// delivery ids (none when nobody subscribes, which costs a single read).
    ///
    /// Works whether or not `run` is active: the deliveries wait in the database.
    @discardableResult
    public func publish(_ event: WebhookEvent, data: [String: JSONValue] = [:]) async throws -> [Int64] {
        let payload = try WebhookPayload(event: event, data: data, created: Date())
        let ids = try await store.enqueue(payload)
        if !ids.isEmpty { wake.yield() }
        return ids
    }

    /// Queues `event` for the one webhook `webhookID` (an automation's webhook step), whatever it subscribes to.
    @discardableResult
    public func publish(_ event: WebhookEvent, data: [String: JSONValue], to webhookID: Int64) async throws -> [Int64] {
        let payload = try WebhookPayload(event: event, data: data, created: Date())
        let ids = try await store.enqueue(payload, webhookID: webhookID)
        if !ids.isEmpty { wake.yield() }
        return ids
    }

    /// Makes a pending or failed delivery due now (one more attempt for a failed one) and wakes the worker.
    /// Throws `WebhookError.notFound` for an unknown id and `.invalid(field: "status", …)` for a delivered one.
    public func retryNow(deliveryID: Int64) async throws {
        try await store.retry(deliveryID: deliveryID, now: Date())
        wake.yield()
    }

    /// The worker loop; returns when its task is cancelled or `shutdown()` is called, after the requests in
    /// flight have finished. Runs at most once per dispatcher.
    public func run() async {
        guard phase == .idle else {
            logger.warning("webhook dispatcher run() called again; ignored")
            return
        }
        phase = .running
        wake.yield()  // deliveries left pending by an earlier run are due at once
        for await _ in wakeUps {
            guard phase == .running else { break }
            await dispatchDue()
        }
        phase = .stopped
        timer?.cancel()
        await drainInFlight()
    }

    /// Stops the worker, waits for the requests in flight, and shuts down an HTTP client the dispatcher
    /// created. Deliveries not yet attempted stay pending in the database for the next start.
    public func shutdown() async {
        phase = .stopped
        wake.finish()
        timer?.cancel()
        timer = nil
        await drainInFlight()
        guard ownsHTTPClient, !httpClientShutDown else { return }
        httpClientShutDown = true
        do {
            try await httpClient.shutdown()
        } catch {
            logger.error("webhook HTTP client shutdown failed", metadata: ["error": "\(error)"])
        }
    }

    /// Starts due deliveries up to the concurrency limit, then sets the timer for the next one.
    private func dispatchDue() async {
        let now = Date()
        let capacity = settings.concurrency - inFlight.count
        if capacity > 0 {
            do {
                let due = try await store.due(now: now, limit: capacity, excluding: Set(inFlight.keys))
                for delivery in due where phase == .running && inFlight[delivery.id] == nil {
                    start(delivery)
                }
            } catch {
                logger.error("webhook queue read failed", metadata: ["error": "\(error)"])
            }
        }
        var sleep = settings.maxSleep
        do {
            if let next = try await store.nextAttempt(after: now) {
                sleep = min(max(next.timeIntervalSinceNow, 0), sleep)
            }
        } catch {
            logger.error("webhook queue read failed", metadata: ["error": "\(error)"])
        }
        guard phase == .running else { return }
        timer?.cancel()
        timer = Task { [wake] in
            guard (try? await Task.sleep(for: .seconds(sleep))) != nil else { return }
            wake.yield()
        }
    }

    private func start(_ delivery: DueDelivery) {
        let sender = WebhookSender(store: store, settings: settings, logger: logger, httpClient: httpClient)
        inFlight[delivery.id] = Task {
            await sender.attempt(delivery)
            self.finished(delivery.id)
        }
    }

    private func finished(_ id: Int64) {
        inFlight[id] = nil
        wake.yield()
    }

    private func drainInFlight() async {
        while let (id, task) = inFlight.first {
            await task.value
            inFlight[id] = nil
        }
    }
}
