import Foundation
import Logging
import Spool

extension QueueManager {
    /// Applies one attempt's outcomes to an item: records final states in the
    /// spool, reschedules what failed temporarily (or expires it), removes
    /// the message once every recipient is final, and tells `events`.
    func finish(_ item: DeliveryItem, outcomes: [RecipientOutcome], site: String?, message known: SpooledMessage? = nil)
        async
    {
        defer {
            inFlight -= 1
            checkIdle()
        }
        guard let message = known ?? spool.message(item.message) else { return }
        let now = clock.now()
        var delivered: [(index: Int, outcome: RecipientOutcome)] = []
        var failed: [(index: Int, outcome: RecipientOutcome)] = []
        var deferred: [(index: Int, outcome: RecipientOutcome)] = []
        for (position, index) in item.recipients.enumerated() {
            var outcome =
                position < outcomes.count
                ? outcomes[position]
                : RecipientOutcome(kind: .temporary, code: 0, status: "4.4.0", text: "no outcome reported")
            outcome.attempt = Int(item.attempts) + 1
            switch outcome.kind {
            case .delivered: delivered.append((Int(index), outcome))
            case .permanent: failed.append((Int(index), outcome))
            case .temporary: deferred.append((Int(index), outcome))
            }
        }
        let expired = !deferred.isEmpty && now.timeIntervalSince(item.arrival) >= retry.maxAge.seconds
        if expired {
            // RFC 3463 4.4.7: delivery time expired.
            failed += deferred.map { entry in
                var outcome = entry.outcome
                outcome.diagnostic = outcome.replyText
                outcome.kind = .permanent
                outcome.status = "4.4.7"
                return (entry.index, outcome)
            }
            deferred = []
        }
        // When this attempt settles the last pending recipients, removing the
        // message records everything at once: one spool record, not one per
        // recipient plus the removal.
        let othersPending: Bool
        if item.recipients.count == message.envelope.recipients.count {
            othersPending = false  // the item holds every recipient (the common case: no envelope to decode)
        } else {
            let settled = Set(item.recipients.map(Int.init))
            let current = spool.message(item.message)?.envelope.recipients ?? message.envelope.recipients
            othersPending = current.enumerated().contains { index, recipient in
                !settled.contains(index) && (recipient.state == .pending || recipient.state == .deferred)
            }
        }
        // (Failures keep the message until their DSN has read it.)
        let completes = deferred.isEmpty && failed.isEmpty && !othersPending
        if completes { removeInBackground(item.message) }
        do {
            for entry in delivered where !completes {
                try await spool.setRecipientState(item.message, recipient: entry.index, to: .delivered)
            }
            for entry in deferred {
                try await spool.setRecipientState(item.message, recipient: entry.index, to: .deferred)
            }
            for entry in failed where !completes {
                try await spool.setRecipientState(
                    item.message, recipient: entry.index,
                    to: expired && entry.outcome.status == "4.4.7" ? .expired : .bounced)
            }
        } catch {
            logger.error("spool state update failed", metadata: ["id": "\(item.message)", "error": "\(error)"])
        }
        log(item, message: message, delivered: delivered, failed: failed, deferred: deferred, site: site)
        if !delivered.isEmpty { await events.delivered(message, recipients: delivered) }
        if !failed.isEmpty { await events.failed(message, recipients: failed, expired: expired) }
        if !deferred.isEmpty {
            var next = item
            next.recipients = deferred.map { UInt16($0.index) }
            next.attempts += 1
            let wait = retry.delay(afterAttempt: Int(next.attempts), random: &random)
            next.due = now.addingTimeInterval(wait)
            let wantsDelay = deferred.contains { message.envelope.recipients[$0.index].notify & 4 != 0 }
            let notice = wantsDelay && !item.delayNotified && now.timeIntervalSince(item.arrival) >= delayWarning
            if notice { next.delayNotified = true }
            push(
                next, tenant: message.envelope.attributes["tenant"] ?? "",
                campaign: message.envelope.attributes["campaign"] ?? "")
            signal()
            await events.deferred(message, recipients: deferred, nextAttempt: wait, delayNotice: notice)
        }
        if !completes { await removeIfComplete(item.message) }
    }

    /// Removes a message every recipient of which is settled, without waiting for the removal to be
    /// synced: the connection goes on to its next message meanwhile (the common case, a delivered
    /// message, costs no wait on an fsync). Until the removal is durable the queue is not idle.
    func removeInBackground(_ id: QueueID) {
        let removals = pendingRemovals
        let logger = self.logger
        removals.started()
        spool.remove(id) { result in
            if case .failure(let error) = result {
                if case SpoolError.unknownMessage = error {
                    // Removed meanwhile by the operator (`queue delete`): nothing left to do.
                } else {
                    logger.error("spool remove failed", metadata: ["id": "\(id)", "error": "\(error)"])
                }
            }
            if removals.finished() { Task { await self.checkIdle() } }
        }
    }

    /// Deletes a message from the spool once no recipient is pending.
    func removeIfComplete(_ id: QueueID) async {
        guard let current = spool.message(id) else { return }
        let pending = current.envelope.recipients.contains { $0.state == .pending || $0.state == .deferred }
        guard !pending else { return }
        do {
            try await spool.remove(id)
        } catch SpoolError.unknownMessage {
            // Two items of one message (two domains) finished together and the
            // other one removed it first: nothing left to do.
        } catch {
            logger.error("spool remove failed", metadata: ["id": "\(id)", "error": "\(error)"])
        }
    }

    private func log(
        _ item: DeliveryItem, message: SpooledMessage, delivered: [(index: Int, outcome: RecipientOutcome)],
        failed: [(index: Int, outcome: RecipientOutcome)], deferred: [(index: Int, outcome: RecipientOutcome)],
        site: String?
    ) {
        let groups = [
            ("sent", delivered), ("suppressed", failed.filter(\.outcome.suppressed)),
            ("bounced", failed.filter { !$0.outcome.suppressed }), ("deferred", deferred),
        ]
        for (status, entries) in groups {
            for entry in entries {
                logger.info(
                    "\(status)",
                    metadata: [
                        "id": "\(item.message)", "to": "\(message.envelope.recipients[entry.index].address)",
                        "relay": "\(entry.outcome.remoteHost ?? "none")", "attempt": "\(item.attempts + 1)",
                        "dsn": "\(entry.outcome.status)", "reply": "\(entry.outcome.replyText)",
                    ])
            }
        }
    }
}
