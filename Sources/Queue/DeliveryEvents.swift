import Spool

/// Final and interim fates of recipients, reported once each, after the
/// spool has recorded them: for DSNs, the delivery log, bounce processing.
public protocol DeliveryEvents: Sendable {
    /// Recipients delivered (one entry per recipient index).
    func delivered(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)]) async
    /// Recipients failed for good or expired: a DSN may be due (RFC 3464).
    func failed(_ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], expired: Bool) async
    /// Recipients deferred; `delayNotice` when a NOTIFY=DELAY notice is due.
    func deferred(
        _ message: SpooledMessage, recipients: [(index: Int, outcome: RecipientOutcome)], nextAttempt: Double,
        delayNotice: Bool) async
}
