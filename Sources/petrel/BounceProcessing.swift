import Bounces
import Campaigns
import DKIM
import Foundation
import Logging
import PetrelConfig
import Queue
import Spool
import Suppression
import Webhooks

/// Mail for a bounce domain is "delivered" to the bounce processor: the queue keeps it (durably, in the
/// spool) until the processor has applied it to the suppression list, retries it when that fails, and logs
/// it like any delivery.
enum BounceProcessor {
    /// The host name of the processor's site in plans and logs.
    static let hostName = "petrel-bounce-processor"
}

/// Plans bounce domains to the processor and every other domain as `next` does.
struct BounceDomainPlanner: RoutePlanner {
    let bounces: BouncesConfig
    let next: any RoutePlanner

    func plan(domain: String) async -> Result<DeliveryPlan, PlanFailure> {
        await plan(domain: domain, tenant: "")
    }

    func plan(domain: String, tenant: String) async -> Result<DeliveryPlan, PlanFailure> {
        if bounces.isBounceDomain(domain) {
            return .success(DeliveryPlan(hosts: [.init(name: BounceProcessor.hostName, addresses: [], port: 0)]))
        }
        return await next.plan(domain: domain, tenant: tenant)
    }
}

/// Sends the processor's site to `processor`, every other site to `remote`.
struct SplitRunner: ConnectionRunner {
    let processor: any ConnectionRunner
    let remote: any ConnectionRunner

    func run(_ lease: SiteLease) async {
        if lease.plan.hosts.first?.name == BounceProcessor.hostName {
            await processor.run(lease)
        } else {
            await remote.run(lease)
        }
    }
}

/// Runs bounce mail through `BounceIntake` and reports each recipient processed (or deferred on failure).
/// Each message's DKIM signatures are verified first (RFC 6376 §6) and the result, as an RFC 8601
/// Authentication-Results value, goes with the outcome into the logs.
struct BounceIntakeRunner: ConnectionRunner {
    let spool: Spool
    let intake: BounceIntake
    var verifier: DKIMVerifier?
    var authservID = "petrel"
    /// Campaign messages that bounce or draw a complaint later are marked in the campaign ledger.
    var ledger: CampaignLedger?
    /// `complained` and (asynchronous) `bounced` webhook events.
    var webhooks: WebhookEvents?
    let logger: Logger

    func run(_ lease: SiteLease) async {
        defer { Task { await lease.finished() } }
        var handled = 0
        while true {
            switch await lease.next(sentOnConnection: handled) {
            case .send(let work):
                handled += 1
                await lease.report(work, outcomes: await process(work))
            case .wait(let until):
                try? await Task.sleep(for: .seconds(max(until.timeIntervalSinceNow, 0)))
            case .idle:
                guard await lease.waitForWork() else { return }
            case .done:
                return
            }
        }
    }

    private func process(_ work: WorkItem) async -> [RecipientOutcome] {
        let count = work.item.recipients.count
        let recipients = work.item.recipients.map { work.message.envelope.recipients[Int($0)].address }
        do {
            let body = try spool.readBody(work.item.message)
            let bytes = Array(body.readableBytesView)
            var authentication = ""
            if let verifier {
                let verified = await verifier.verify(message: body, now: Int64(Date().timeIntervalSince1970))
                authentication = AuthenticationResults.value(authservID: authservID, results: verified)
                    .replacingOccurrences(of: "\r\n\t", with: " ")
            }
            let results = try await intake.process(
                bytes, envelopeRecipients: recipients, source: work.item.message.description)
            updateLedger(results, recipients: recipients)
            publish(results)
            let summary = results.isEmpty ? "not a bounce" : results.map(Self.describe).joined(separator: "; ")
            var metadata: Logger.Metadata = [
                "id": "\(work.item.message)", "to": "\(recipients.joined(separator: ","))", "result": "\(summary)",
            ]
            if !authentication.isEmpty { metadata["auth"] = "\(authentication)" }
            logger.info("bounce processed", metadata: metadata)
            let text =
                "processed: \(summary)" + (authentication.isEmpty ? "" : " [Authentication-Results: \(authentication)]")
            let outcome = RecipientOutcome(
                kind: .delivered, code: 250, status: "2.0.0", text: text, remoteHost: BounceProcessor.hostName)
            return Array(repeating: outcome, count: count)
        } catch {
            logger.error("bounce processing failed", metadata: ["id": "\(work.item.message)", "error": "\(error)"])
            return Array(
                repeating: RecipientOutcome(
                    kind: .temporary, code: 451, status: "4.3.0", text: "bounce processing failed: \(error)",
                    remoteHost: BounceProcessor.hostName),
                count: count)
        }
    }

    private func publish(_ results: [BounceIntake.Result]) {
        guard let webhooks else { return }
        for result in results {
            let record = result.record
            let action = record.action.lowercased()
            if !record.feedbackType.isEmpty {
                webhooks.publish(
                    .complained,
                    WebhookEvents.strings([
                        "recipient": record.recipient, "feedback_type": record.feedbackType,
                        "message_id": record.messageID,
                    ]))
            } else if !action.hasPrefix("delivered") && !action.hasPrefix("delayed") && !action.hasPrefix("relayed") {
                var data = WebhookEvents.strings([
                    "recipient": record.recipient, "reason": record.reason.rawValue,
                    "enhanced_code": record.deliveryStatus, "reply": record.diagnosticCode,
                    "message_id": record.messageID, "source": "dsn",
                ])
                data["hard"] = .bool(record.isHardBounce)
                webhooks.publish(.bounced, data)
            }
        }
    }

    /// A VERP token names the campaign message: a complaint marks its ledger row complained, a failure
    /// bounced (hard or soft).
    private func updateLedger(_ results: [BounceIntake.Result], recipients: [String]) {
        guard let ledger, let verp = intake.verp,
            let token = recipients.lazy.compactMap({ verp.decode($0) }).first
        else { return }
        for result in results where result.viaVERP {
            let record = result.record
            if !record.feedbackType.isEmpty {
                if let target = try? ledger.recipient(queueID: token.queueID) {
                    _ = try? ledger.record(.complained, campaignID: target.campaignID, contactID: target.contactID)
                }
            } else if !record.action.lowercased().hasPrefix("delivered")
                && !record.action.lowercased().hasPrefix("delayed")
            {
                _ = try? ledger.recordDelivery(queueID: token.queueID, delivered: false, hard: record.isHardBounce)
            }
        }
    }

    static func describe(_ result: BounceIntake.Result) -> String {
        let who = result.record.recipient + (result.viaVERP ? " (VERP)" : "")
        switch result.decision {
        case .suppressed(let entry, let added):
            return "\(who) \(added ? "suppressed" : "already suppressed"): \(entry.kind.rawValue) \(entry.reason)"
        case .softBounceCounted(let count):
            return "\(who) soft bounce \(count)"
        case .ignored(let why):
            return "\(who) ignored: \(why)"
        }
    }
}
