import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Queue
import Spool

/// Turns the queue's outcomes into notices: failure and delay DSNs to the
/// envelope sender, stored in the spool and queued like any message, and
/// a hook for bounce processing of synchronous failures.
public final class DeliveryReporter: DeliveryEvents {
    let spool: Spool
    let builder: DSNBuilder
    let clock: any QueueClock
    let retry: RetrySchedule
    let logger: Logger
    /// Set once the queue exists (the queue needs the reporter first).
    private let queue = QueueBox()
    /// Synchronous permanent failures, for the bounce classifier and suppression.
    let onFailure: @Sendable (SpooledMessage, [(index: Int, outcome: RecipientOutcome)]) async -> Void

    public init(
        spool: Spool, hostname: String, clock: any QueueClock, retry: RetrySchedule, logger: Logger,
        onFailure: @escaping @Sendable (SpooledMessage, [(index: Int, outcome: RecipientOutcome)]) async -> Void = {
            _, _ in
        }
    ) {
        self.spool = spool
        self.builder = DSNBuilder(hostname: hostname)
        self.clock = clock
        self.retry = retry
        self.logger = logger
        self.onFailure = onFailure
    }

    public func attach(_ manager: QueueManager) { queue.set(manager) }

    public func delivered(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)]) async {}

    public func failed(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], expired: Bool)
        async
    {
        await onFailure(message, recipients)
        await notify(message, recipients: recipients, kind: .failure, retryUntil: nil)
    }

    public func deferred(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], nextAttempt: Double,
        delayNotice: Bool
    ) async {
        guard delayNotice else { return }
        let until = message.envelope.arrival.addingTimeInterval(retry.maxAge.seconds)
        await notify(message, recipients: recipients, kind: .delay, retryUntil: until)
    }

    private func notify(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], kind: DSNBuilder.Kind,
        retryUntil: Date?
    ) async {
        let original = try? spool.readBody(message.id)
        guard
            let notice = builder.build(
                message: message, original: original, recipients: recipients, kind: kind, now: clock.now(),
                willRetryUntil: retryUntil)
        else { return }
        do {
            let id = try await spool.append(envelope: notice.envelope, body: notice.body)
            logger.info(
                "\(kind == .failure ? "failure" : "delay") notice queued",
                metadata: ["id": "\(id)", "for": "\(message.id)", "to": "\(message.envelope.sender)"])
            if let stored = spool.message(id), let manager = queue.get() {
                await manager.enqueue(stored)
            }
        } catch {
            logger.error("could not queue a DSN", metadata: ["for": "\(message.id)", "error": "\(error)"])
        }
    }
}

/// A late-bound reference to the queue manager.
final class QueueBox: Sendable {
    private let box = NIOLockedValueBox<QueueManager?>(nil)
    func set(_ manager: QueueManager) { box.withLockedValue { $0 = manager } }
    func get() -> QueueManager? { box.withLockedValue { $0 } }
}
