import Foundation
import Spool

/// Mail entering the queue: new messages, recovered ones, and retries pushed back.
extension QueueManager {
    /// Schedules many messages in one call (campaign batches, the spool's group commits: one hop onto the
    /// manager, not one per message) and starts planning what is due now right away, instead of waking
    /// the loop to find it.
    public func enqueue(contentsOf messages: [SpooledMessage]) {
        var keys: Set<QueueKey> = []
        for message in messages { keys.formUnion(schedule(message, due: nil)) }
        guard !draining else { return }
        let now = clock.now()
        for key in keys where !suspendedDomains.contains(key.domain) {
            startPlanning(key, now: now)
        }
    }

    /// Schedules every pending recipient of `message`, grouped by domain; the loop takes them when due.
    public func enqueue(_ message: SpooledMessage, due: Date? = nil) {
        schedule(message, due: due)
        signal()
    }

    /// Pushes an item per domain of the pending recipients of `message`; returns their queues.
    @discardableResult
    private func schedule(_ message: SpooledMessage, due: Date?) -> [QueueKey] {
        let envelope = message.envelope
        var byDomain: [String: [UInt16]] = [:]
        for (index, recipient) in envelope.recipients.enumerated()
        where recipient.state == .pending || recipient.state == .deferred {
            byDomain[Self.domain(of: recipient.address), default: []].append(UInt16(index))
        }
        let when = due ?? clock.now()
        let tenant = envelope.attributes["tenant"] ?? ""
        let campaign = envelope.attributes["campaign"] ?? ""
        var keys: [QueueKey] = []
        for (domain, recipients) in byDomain {
            let item = DeliveryItem(
                message: message.id, domain: domain, recipients: recipients, due: when, arrival: envelope.arrival,
                priority: envelope.priority)
            keys.append(push(item, tenant: tenant, campaign: campaign))
        }
        return keys
    }

    /// Everything in the spool that is still pending (start-up).
    public func recover() {
        spool.forEachMessage { enqueue($0) }
    }

    @discardableResult
    func push(_ item: DeliveryItem, tenant: String = "", campaign: String = "") -> QueueKey {
        let key = QueueKey(tenant: tenant, campaign: campaign, domain: item.domain)
        scheduled[key, default: ScheduledQueue()].push(item)
        return key
    }

    static func domain(of address: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return address[address.index(after: at)...].lowercased()
    }
}
