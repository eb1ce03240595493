import Bounces
import Delivery
import Foundation
import Queue
import Spool
import Storage

/// Every outcome goes to the delivery log (with the bounce classifier's
/// reason for failures) and to the DSN reporter.
struct DeliveryEventsFanout: DeliveryEvents {
    let reporter: DeliveryReporter
    let log: DeliveryLog?

    func delivered(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)]) async {
        record(message, recipients, status: "delivered")
        await reporter.delivered(message, recipients: recipients)
    }

    func failed(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], expired: Bool) async {
        record(message, recipients, status: expired ? "expired" : "bounced")
        await reporter.failed(message, recipients: recipients, expired: expired)
    }

    func deferred(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], nextAttempt: Double,
        delayNotice: Bool
    ) async {
        record(message, recipients, status: "deferred")
        await reporter.deferred(message, recipients: recipients, nextAttempt: nextAttempt, delayNotice: delayNotice)
    }

    private func record(
        _ message: SpooledMessage, _ recipients: [(index: Int, outcome: RecipientOutcome)], status: String
    ) {
        guard let log else { return }
        let now = Date()
        log.append(
            recipients.map { entry in
                let outcome = entry.outcome
                // Synchronous failures go through the same classifier as bounce messages.
                let classification =
                    outcome.kind == .delivered
                    ? nil
                    : SMTPReplyClassifier.classify(
                        code: outcome.code, enhancedCode: outcome.status, text: outcome.text)
                return DeliveryLogEntry(
                    time: now, queueID: message.id.description, sender: message.envelope.sender,
                    recipient: message.envelope.recipients[entry.index].address, status: status,
                    attempt: outcome.attempt,
                    remoteHost: outcome.remoteHost, replyCode: outcome.code == 0 ? nil : outcome.code,
                    enhancedCode: outcome.status, reply: outcome.text, reason: classification?.reason.rawValue,
                    hard: classification?.isHardBounce)
            })
    }
}
