import Bounces
import Foundation

/// When a bounce or a report suppresses its recipient (`[suppression]` in the configuration).
public struct SuppressionPolicy: Sendable, Hashable {
    /// A hard bounce (the address itself is bad) suppresses at once.
    public var hardBounces: Bool
    /// This many soft bounces within `softBounceWindow` suppress; 0: soft bounces never do.
    public var softBounceLimit: Int
    public var softBounceWindow: TimeInterval
    /// A complaint (ARF abuse, fraud, virus or other report) suppresses, and so does an opt-out report.
    public var complaints: Bool

    public init(
        hardBounces: Bool = true, softBounceLimit: Int = 3, softBounceWindow: TimeInterval = 7 * 86_400,
        complaints: Bool = true
    ) {
        self.hardBounces = hardBounces
        self.softBounceLimit = softBounceLimit
        self.softBounceWindow = softBounceWindow
        self.complaints = complaints
    }
}

/// What a bounce did to its recipient.
public enum SuppressionDecision: Sendable, Hashable {
    /// Suppressed now (`added`), or already suppressed by an earlier entry.
    case suppressed(SuppressionEntry, added: Bool)
    /// A soft bounce was counted: `count` within the window, short of the limit.
    case softBounceCounted(count: Int)
    /// Nothing to do, and why.
    case ignored(String)
}

/// Applies the policy to bounce records, from bounce messages and from replies during delivery alike.
public struct SuppressionRecorder: Sendable {
    public let store: SuppressionStore
    public let policy: SuppressionPolicy
    /// Called with the entry in force after every suppressing decision (new or already listed): the campaign
    /// layer marks the contact complained, unsubscribed or bounced.
    public var onSuppressed: (@Sendable (SuppressionEntry) -> Void)?

    public init(
        store: SuppressionStore, policy: SuppressionPolicy, onSuppressed: (@Sendable (SuppressionEntry) -> Void)? = nil
    ) {
        self.store = store
        self.policy = policy
        self.onSuppressed = onSuppressed
    }

    /// Feedback types that are complaints about the mail (RFC 5965 §7.3); `auth-failure` (RFC 6591) and
    /// `not-spam` say nothing against the recipient's wish to receive it.
    static let complaintTypes: Set<String> = ["abuse", "fraud", "virus", "other"]
    static let optOutTypes: Set<String> = ["opt-out", "unsubscribe"]

    /// Applies one record. `source` names the message it came from.
    public func apply(_ record: BounceRecord, source: String, time: Date = Date()) throws -> SuppressionDecision {
        let recipient = record.recipient
        guard !recipient.isEmpty, recipient.contains("@") else { return .ignored("no recipient address") }
        let detail = [record.deliveryStatus, record.diagnosticCode].filter { !$0.isEmpty }.joined(separator: " ")
        if !record.feedbackType.isEmpty {
            let type = record.feedbackType.lowercased()
            let kind: SuppressionEntry.Kind
            if Self.complaintTypes.contains(type) {
                kind = .complaint
            } else if Self.optOutTypes.contains(type) {
                kind = .unsubscribe
            } else {
                return .ignored("feedback type \(type) is not a complaint")
            }
            guard policy.complaints else { return .ignored("complaints do not suppress (policy)") }
            return suppress(recipient, kind: kind, reason: type, source: source, time: time, detail: detail)
        }
        if record.action.lowercased() == "delayed" { return .ignored("a delay notice, not a bounce") }
        if record.isHardBounce {
            guard policy.hardBounces else { return .ignored("hard bounces do not suppress (policy)") }
            return suppress(
                recipient, kind: .hardBounce, reason: record.reason.rawValue, source: source, time: time,
                detail: detail)
        }
        guard policy.softBounceLimit > 0 else { return .ignored("soft bounces do not suppress (policy)") }
        let count = try store.recordSoftBounce(
            recipient, time: time, source: source, since: time.addingTimeInterval(-policy.softBounceWindow))
        guard count >= policy.softBounceLimit else { return .softBounceCounted(count: count) }
        return suppress(
            recipient, kind: .softBounce, reason: record.reason.rawValue, source: source, time: time,
            detail: "\(count) soft bounces, last: \(detail)")
    }

    private func suppress(
        _ address: String, kind: SuppressionEntry.Kind, reason: String, source: String, time: Date, detail: String
    ) -> SuppressionDecision {
        do {
            let result = try store.add(
                SuppressionEntry(
                    address: address, kind: kind, reason: reason, source: source, time: time, detail: detail))
            onSuppressed?(result.entry)
            return .suppressed(result.entry, added: result.added)
        } catch {
            return .ignored("suppression store: \(error)")
        }
    }
}
