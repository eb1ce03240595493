import Foundation
import Spool

/// The recipients of one message at one destination domain, waiting for
/// their next attempt. Small on purpose: millions of these wait in memory.
public struct DeliveryItem: Sendable {
    public var message: QueueID
    public var domain: String
    /// Positions in the message's envelope recipients.
    public var recipients: [UInt16]
    public var attempts: UInt16
    public var due: Date
    public var arrival: Date
    public var priority: Int8
    public var delayNotified: Bool

    public init(
        message: QueueID, domain: String, recipients: [UInt16], attempts: UInt16 = 0, due: Date, arrival: Date,
        priority: Int8 = 0, delayNotified: Bool = false
    ) {
        self.message = message
        self.domain = domain
        self.recipients = recipients
        self.attempts = attempts
        self.due = due
        self.arrival = arrival
        self.priority = priority
        self.delayNotified = delayNotified
    }
}

/// A scheduled queue per (tenant, campaign, destination domain), as KumoMTA
/// keys them.
public struct QueueKey: Hashable, Sendable, CustomStringConvertible {
    public var tenant: String
    public var campaign: String
    public var domain: String

    public init(tenant: String = "", campaign: String = "", domain: String) {
        self.tenant = tenant
        self.campaign = campaign
        self.domain = domain
    }

    public var description: String {
        [campaign, tenant].filter { !$0.isEmpty }.map { "\($0):" }.joined() + domain
    }
}
