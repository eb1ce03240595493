import Bounces
import Campaigns
import Delivery
import Foundation
import Queue
import Spool
import Storage
import Suppression
import Webhooks

/// Every outcome goes to the delivery log (with the bounce classifier's
/// reason for failures), the metrics and the DSN reporter.
struct DeliveryEventsFanout: DeliveryEvents {
    let reporter: DeliveryReporter
    let log: DeliveryLog?
    /// Failures during delivery (a 5xx to RCPT or DATA, expiry) go to the suppression policy.
    var recorder: SuppressionRecorder?
    /// Campaign messages (attribute `campaign`): their outcomes go to the campaign ledger.
    var ledger: CampaignLedger?
    /// `delivered`, `bounced` and `deferred` webhook events, one per recipient.
    var webhooks: WebhookEvents?
    /// Recipient outcomes counted for `GET /api/v1/metrics`.
    var metrics: ServerMetrics?

    func delivered(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)]) async {
        record(message, recipients, status: "delivered")
        publish(.delivered, message, recipients)
        await updateLedger(message, delivered: true, recipients)
        await reporter.delivered(message, recipients: recipients)
    }

    func failed(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], expired: Bool) async {
        let skipped = recipients.filter(\.outcome.suppressed)
        let failed = recipients.filter { !$0.outcome.suppressed }
        if !skipped.isEmpty { record(message, skipped, status: "suppressed") }
        if !failed.isEmpty {
            record(message, failed, status: expired ? "expired" : "bounced")
            publish(.bounced, message, failed)
            await applySuppression(message, failed)
            await updateLedger(message, delivered: false, failed)
        }
        await reporter.failed(message, recipients: recipients, expired: expired)
    }

    private func publish(
        _ event: WebhookEvent, _ message: SpooledMessage, _ recipients: [(index: Int, outcome: RecipientOutcome)]
    ) {
        guard let webhooks, webhooks.wants(event) else { return }
        let envelope = message.envelope
        for entry in recipients {
            let outcome = entry.outcome
            var data = WebhookEvents.strings([
                "queue_id": message.id.description, "sender": envelope.sender,
                "recipient": envelope.recipients[entry.index].address, "enhanced_code": outcome.status,
                "reply": outcome.text, "remote_host": outcome.remoteHost, "campaign": envelope.attributes["campaign"],
                "tenant": envelope.attributes["tenant"],
            ])
            if outcome.code > 0 { data["code"] = .int(outcome.code) }
            if event == .bounced {
                data["hard"] = .bool(
                    SMTPReplyClassifier.classify(code: outcome.code, enhancedCode: outcome.status, text: outcome.text)
                        .isHardBounce)
            }
            webhooks.publish(event, data)
        }
    }

    // The ledger and the suppression list are SQLite writes, run by BlockingWork: delivery sessions run on
    // the event loops (EventLoopTaskExecutor), which must not wait on a database.
    private func updateLedger(
        _ message: SpooledMessage, delivered: Bool, _ recipients: [(index: Int, outcome: RecipientOutcome)]
    ) async {
        guard let ledger, message.envelope.attributes["campaign"] != nil, let first = recipients.first else { return }
        let outcome = first.outcome
        let hard =
            delivered
            || SMTPReplyClassifier.classify(code: outcome.code, enhancedCode: outcome.status, text: outcome.text)
                .isHardBounce
        let queueID = message.id.description
        _ = try? await BlockingWork.run {
            try ledger.recordDelivery(queueID: queueID, delivered: delivered, hard: hard)
        }
    }

    /// A synchronous failure is a bounce like any other: classified, then hard bounces suppress and soft
    /// ones count.
    private func applySuppression(_ message: SpooledMessage, _ recipients: [(index: Int, outcome: RecipientOutcome)])
        async
    {
        guard let recorder else { return }
        var records: [BounceRecord] = []
        for entry in recipients where entry.outcome.remoteHost != BounceProcessor.hostName {
            let outcome = entry.outcome
            // No reply (DNS: NXDOMAIN, null MX) is permanent by its status code.
            let code = outcome.code > 0 ? outcome.code : (outcome.status.hasPrefix("5") ? 550 : 450)
            let classification = SMTPReplyClassifier.classify(
                code: code, enhancedCode: outcome.status, text: outcome.diagnostic ?? outcome.text)
            let record = BounceRecord(
                recipient: message.envelope.recipients[entry.index].address, reason: classification.reason,
                deliveryStatus: classification.deliveryStatus, replyCode: outcome.code == 0 ? nil : outcome.code,
                isHardBounce: classification.isHardBounce && outcome.status != "4.4.7",
                diagnosticCode: outcome.replyText,
                action: "failed", feedbackType: "", messageID: "", originalHeaders: [])
            records.append(record)
        }
        guard !records.isEmpty else { return }
        let source = message.id.description
        let batch = records
        _ = try? await BlockingWork.run {
            for record in batch { _ = try? recorder.apply(record, source: source) }
        }
    }

    func deferred(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], nextAttempt: Double,
        delayNotice: Bool
    ) async {
        record(message, recipients, status: "deferred")
        publish(.deferred, message, recipients)
        await reporter.deferred(message, recipients: recipients, nextAttempt: nextAttempt, delayNotice: delayNotice)
    }

    /// Counts the recipients under `status` for the metrics and writes them to the delivery log.
    private func record(
        _ message: SpooledMessage, _ recipients: [(index: Int, outcome: RecipientOutcome)], status: String
    ) {
        metrics?.recipients(status, recipients.count)
        guard let log else { return }
        let now = Date()
        log.append(
            recipients.map { entry in
                let outcome = entry.outcome
                // Synchronous failures go through the same classifier as bounce messages.
                let classification =
                    outcome.kind == .delivered || outcome.suppressed
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
