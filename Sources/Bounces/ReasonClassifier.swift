/// Decides the failure reason from the diagnostic text and the enhanced status code.
///
/// The text decides first, because servers routinely send a generic code (`5.0.0`, `5.7.1`, `550`) with a
/// specific explanation; the status code (RFC 3463 §3) decides when the text says nothing recognisable.
public enum ReasonClassifier {
    /// The reason the wording of `text` points to, if any.
    public static func reason(forText text: String) -> BounceReason? {
        guard !text.isEmpty else { return nil }
        let lower = PhraseSearch.lowercasedBytes(text)
        for (reason, phrases) in PhraseSearch.orderedBytes
        where phrases.contains(where: { PhraseSearch.contains(lower, $0) }) {
            return reason
        }
        return nil
    }

    // RFC 3463 §3.1–3.8 and the IANA "Enumerated Status Codes" registry (RFC 5248), plus RFC 7372 (x.7.20 to
    // x.7.26 authentication, x.7.25 reverse DNS) and RFC 7505 (x.1.10 / x.7.27 null MX).
    /// The reason an enhanced status code stands for, when the code is specific enough to name one.
    public static func reason(forStatus status: String) -> BounceReason? {
        let parts = status.split(separator: ".")
        guard parts.count == 3, let subject = Int(parts[1]), let detail = Int(parts[2]) else { return nil }
        switch (subject, detail) {
        case (1, 1), (1, 3), (1, 0): return .userUnknown
        case (1, 2): return .hostUnknown
        case (1, 6): return .hasMoved
        case (1, 7), (1, 8): return .rejected
        case (1, 10): return .notAccept
        case (2, 1): return .suspend
        case (2, 2): return .mailboxFull
        case (2, 3): return .exceedLimit
        case (2, 4): return .systemError
        case (3, 1): return .systemFull
        case (3, 2): return .notAccept
        case (3, 4): return .messageTooBig
        case (3, _): return .systemError
        case (4, 1), (4, 2), (4, 3), (4, 6), (4, 0): return .networkError
        case (4, 4): return .hostUnknown
        case (4, 5): return .systemFull
        case (4, 7): return .expired
        case (5, 2), (5, 4), (5, 5): return .syntaxError
        case (5, 3): return .tooManyConnections
        case (6, _): return .contentError
        case (7, 1): return .securityError
        case (7, 13), (7, 14): return .suspend
        case (7, 20), (7, 21), (7, 22), (7, 23), (7, 24), (7, 26): return .authFailure
        case (7, 25): return .requirePTR
        case (7, 27): return .notAccept
        case (7, 9): return .policyViolation
        case (7, _): return .securityError
        default: return nil
        }
    }

    /// The reason for a failure described by `diagnostic` with `status`; `context` (the bounce's own
    /// explanation) is consulted when neither decides.
    static func classify(diagnostic: String, status: String?, context: String = "") -> BounceReason {
        let statusReason = status.flatMap(reason(forStatus:))
        if let statusReason, authoritative.contains(statusReason) { return statusReason }
        if var reason = reason(forText: diagnostic) {
            // A recipient refused only after the message was sent (in reply to DATA) was refused for its
            // content or by a filter, whatever the wording says.
            // RFC 3463 §3.3: x.2.X is about the mailbox; "unknown user" with it means the mailbox filtered it.
            if reason == .userUnknown
                && (isDataPhase(diagnostic.lowercased())
                    || status.map { $0.dropFirst().hasPrefix(".2.") } == true)
            {
                reason = .filtered
            }
            return reason
        }
        if let status, let reason = reason(forStatus: status) { return reason }
        if !context.isEmpty, let reason = reason(forText: context) { return reason }
        return diagnostic.isEmpty && context.isEmpty ? .undefined : .onHold
    }

    /// Codes precise enough to outrank the wording (RFC 3463 x.2.3 / x.3.4 sizes, x.1.6 moved; RFC 7372
    /// x.7.25 reverse DNS and x.7.26 authentication).
    private static let authoritative: Set<BounceReason> = [
        .exceedLimit, .messageTooBig, .hasMoved, .requirePTR, .authFailure,
    ]

    private static func isDataPhase(_ text: String) -> Bool {
        ["end of data", "after data", "final data", "data command", "after end of", ">>> data"].contains {
            text.contains($0)
        }
    }

    /// Whether the bounce reports a temporary condition (a delay warning, a 4xx reply) rather than a
    /// permanent failure.
    static func isTemporary(status: String?, replyCode: Int?, text: String) -> Bool {
        if let status, let first = status.first { return first == "4" }
        if let replyCode { return replyCode / 100 == 4 }
        let lower = text.lowercased()
        return ["not yet been delivered", "will continue", "has been delayed", "will be retried", "will retry"]
            .contains { lower.contains($0) }
    }
}
