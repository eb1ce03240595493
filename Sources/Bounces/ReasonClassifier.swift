/// Decides the failure reason from the diagnostic text and the enhanced status code.
///
/// The text decides first, because servers routinely send a generic code (`5.0.0`, `5.7.1`, `550`) with a
/// specific explanation; the status code (RFC 3463 §3) decides when the text says nothing recognisable.
public enum ReasonClassifier {
    /// The reason the wording of `text` points to, if any.
    public static func reason(forText text: String) -> BounceReason? {
        guard !text.isEmpty else { return nil }
        return reasonPhrases.firstGroup(in: text.utf8).map { ReasonPhrases.ordered[$0].0 }
    }

    private static let reasonPhrases = PhraseSet(ReasonPhrases.ordered.map(\.1))

    // RFC 3463 §3.1–3.8 and the IANA "Enumerated Status Codes" registry (RFC 5248), plus RFC 7372 (x.7.20 to
    // x.7.26 authentication, x.7.25 reverse DNS) and RFC 7505 (x.1.10 / x.7.27 null MX).
    /// The reason an enhanced status code stands for, when the code is specific enough to name one.
    public static func reason(forStatus status: String) -> BounceReason? {
        let parts = status.split(separator: ".")
        guard parts.count == 3, let subject = Int(parts[1]), let detail = Int(parts[2]) else { return nil }
        switch (subject, detail) {
        case (1, 1), (1, 3), (1, 0): return .userUnknown
        // Exchange Online answers an unknown recipient with 5.4.1; a 4.4.1 is a connection that timed out.
        case (4, 1): return status.hasPrefix("5") ? .userUnknown : .expired
        case (1, 2): return .hostUnknown
        case (1, 6): return .hasMoved
        case (1, 7), (1, 8): return .rejected
        case (1, 10): return .notAccept
        case (2, 0), (2, 1): return .filtered
        case (2, 2): return .mailboxFull
        case (2, 3): return .exceedLimit
        case (2, 4): return .systemError
        case (3, 1): return .systemFull
        case (3, 2): return .notAccept
        case (3, 4): return .messageTooBig
        case (3, _): return .systemError
        case (4, 2), (4, 3), (4, 6), (4, 0): return .networkError
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
    static func classify(
        diagnostic: String, status: String?, context explanation: @autoclosure () -> String = ""
    ) -> BounceReason {
        // The explanation is read only when the diagnostic and the status leave the reason open.
        lazy var context = explanation()
        let statusReason = status.flatMap(reason(forStatus:))
        let text = textReason(diagnostic, statusReason: statusReason)
        if let statusReason, authoritative.contains(statusReason) {
            // Exchange Online sends x.1.10 (RFC 7505's null MX code) for any unknown recipient; a spam or virus
            // verdict is more precise than x.6.X "media error".
            let overridden =
                (statusReason == .notAccept && text == .userUnknown)
                || (statusReason == .contentError && (text == .spamDetected || text == .virusDetected))
            if !overridden { return statusReason }
        }
        // RFC 3463 §3.2 x.1.1 "bad destination mailbox address": the mailbox does not exist, whatever else the
        // text says about the refusal, unless it names a full mailbox, a moved one or a failed local program.
        if let status, statusReason == .userUnknown, status.dropFirst().hasPrefix(".1.1") || status.hasPrefix("5.4.1"),
            status.count == 5, ![.mailboxFull, .hasMoved, .mailerError, .noRelaying].contains(text)
        {
            return .userUnknown
        }
        // The explanation is searched only when a rule needs the phase and the diagnostic does not name it.
        lazy var command = SMTPCommand.named(in: diagnostic) ?? SMTPCommand.named(in: context)
        if let text {
            switch text {
            // NTT docomo answers "Unknown user" after DATA when the recipient's settings refuse the sender (an
            // x.2.x mailbox status instead is its content filter).
            case .userUnknown
            where command == .data && (status == nil || status!.hasSuffix(".0.0"))
                && context.lowercased().contains("docomo.ne.jp"):
                return .rejected
            // "553 example.com does not exist": a domain, not a mailbox.
            case .userUnknown where namesMissingDomain(diagnostic):
                return .hostUnknown
            case .userUnknown:
                return unknownRecipient(diagnostic, statusReason: statusReason, status: status, command: command)
            // RFC 3463 §3.5: a 4.x.x code is transient; a name server that failed for now is a network
            // problem, not proof that the host does not exist.
            case .hostUnknown
            where isTemporary(status: status, replyCode: nil, text: diagnostic)
                || PhraseSearch.contains(PhraseSearch.lowercasedBytes(diagnostic), tryAgain):
                return .networkError
            // RFC 5321 §3.1: refused at the greeting or HELO/EHLO, before any address was given: the client.
            case .rejected where command == .connection && (status == nil || status!.hasSuffix(".0.0")):
                return .blocked
            default:
                return text
            }
        }
        if let statusReason { return statusReason }
        if command == .connection && !diagnostic.isEmpty { return .blocked }
        if !context.isEmpty, let reason = reason(forText: context) {
            if reason == .userUnknown {
                return unknownRecipient(context, statusReason: nil, status: status, command: command)
            }
            return reason
        }
        return diagnostic.isEmpty ? .undefined : .onHold
    }

    /// Whether the word before "does not exist" is a domain name (dotted, no local part).
    private static func namesMissingDomain(_ diagnostic: String) -> Bool {
        let lower = PhraseSearch.lowercasedBytes(diagnostic)
        guard let end = PhraseSearch.end(of: doesNotExist, in: lower) else { return false }
        let before = String(decoding: lower[..<(end - doesNotExist.count)], as: UTF8.self)
        let word = before.split(separator: " ").last ?? ""
        return word.contains(".") && !word.contains("@") && !word.contains("<") && !word.hasSuffix(".")
            && word.first.map(\.isLetter) == true
    }

    private static let tryAgain = Array("found, try again".utf8)
    private static let doesNotExist = Array(" does not exist".utf8)

    /// The wording of `diagnostic`; Postfix's "Recipient address rejected: <why>" is about the recipient only
    /// in form, so the words after it decide when they name another reason.
    private static func textReason(_ diagnostic: String, statusReason: BounceReason?) -> BounceReason? {
        guard let found = reason(forText: diagnostic) else { return nil }
        let lower = PhraseSearch.lowercasedBytes(diagnostic)
        guard found == .userUnknown, statusReason != .userUnknown,
            let end = PhraseSearch.end(of: addressRejected, in: lower)
        else { return found }
        let why = String(decoding: lower[end...], as: UTF8.self)
        // Postfix's check_recipient_access verdict "Recipient address rejected: Access denied" is about the
        // recipient.
        if why.trimmed.hasPrefix("access denied") { return found }
        if let other = reason(forText: why), other != .userUnknown { return other }
        return found
    }

    /// "User unknown" is a verdict on the mailbox only where the server gave it for the mailbox: with an
    /// x.1.x address status (RFC 3463 §3.2) or in reply to RCPT TO. The same words in reply to DATA, with a
    /// mailbox (x.2.x) or policy (x.7.x) status, or without any sign of the phase come from a filter that
    /// refused the message for this recipient.
    private static func unknownRecipient(
        _ text: String, statusReason: BounceReason?, status: String?, command: SMTPCommand?
    ) -> BounceReason {
        if statusReason == .userUnknown || command == .rcpt { return .userUnknown }
        if command == .data { return .filtered }
        if let status, status.dropFirst().hasPrefix(".2.") || status.dropFirst().hasPrefix(".7.") { return .filtered }
        // Only the terse generic forms; an MTA that words it specifically ("no such user", "unknown recipient",
        // "not listed in the address book") is answering for the mailbox.
        let lower = PhraseSearch.lowercasedBytes(text)
        if genericUnknown.contains(where: { PhraseSearch.contains(lower, $0) }) { return .filtered }
        return .userUnknown
    }

    private static let addressRejected = Array("address rejected:".utf8)

    private static let genericUnknown: [[UInt8]] = [
        "user unknown", "unknown user ", "unknown user<", "doesn't have a", "account that you tried",
    ].map { Array($0.utf8) }

    /// Codes precise enough to outrank the wording (RFC 3463 x.1.2 host, x.2.2 mailbox full, x.2.3 / x.3.4
    /// sizes, x.1.6 moved, x.1.7 / x.1.8 sender, x.3.2 / x.7.27 no mail accepted, x.4.5 system full, x.6.X
    /// media, x.7.9 policy; RFC 3463 x.7.13 / x.7.14 disabled account; RFC 7372 x.7.25 reverse DNS and x.7.26
    /// authentication).
    private static let authoritative: Set<BounceReason> = [
        .exceedLimit, .messageTooBig, .hasMoved, .requirePTR, .authFailure, .mailboxFull, .hostUnknown,
        .notAccept, .rejected, .systemFull, .contentError, .suspend, .policyViolation,
    ]

    /// Whether the bounce reports a temporary condition rather than a permanent failure: the class of the
    /// status code (RFC 3463 §3.1) or of the reply code (RFC 5321 §4.2.1), else the words of the diagnostic.
    /// Without any sign a failure is permanent: a bounce is sent when delivery was given up.
    static func isTemporary(status: String?, replyCode: Int?, text: String) -> Bool {
        if let status, let first = status.first { return first == "4" }
        if let replyCode { return replyCode / 100 == 4 }
        let lower = PhraseSearch.lowercasedBytes(text)
        return temporaryWords.contains { PhraseSearch.contains(lower, $0) }
    }

    private static let temporaryWords: [[UInt8]] = ["temporar", "persistent"].map { Array($0.utf8) }
}
