/// Decides whether a message without a machine-readable report is a bounce at all.
enum BounceDetector {
    private static let senderWords = [
        "mailer-daemon", "postmaster", "mail delivery", "mail-daemon", "mailerdaemon", "delivery subsystem",
        "mail administrator", "mail system", "mailadmin", "mail-router", "post_master",
    ]
    private static let subjectWords = [
        "undeliver", "delivery status", "delivery fail", "failure notice", "returned mail", "mail delivery",
        "delivery notification", "non-deliver", "nondeliver", "not delivered", "could not be delivered",
        "bounce", "rejected", "mail system error", "delivery problem", "warning: could not", "delayed mail",
        "unable to deliver", "message status", "failed", "error", "delivery report", "returned to sender",
        "delivery has failed", "not be delivered", "undelivered",
    ]
    private static let explanationWords = [
        "could not be delivered", "undeliverable", "delivery failed", "permanent error", "was not delivered",
        "user unknown", "delivery to the following recipient", "mailbox is full", "does not exist",
        "failed recipient", "not be delivered", "unable to deliver",
    ]
    private static let autoReplySubjects = [
        "auto:", "auto reply", "autoreply", "auto-reply", "automatic reply", "out of office", "out of the office",
        "vacation", "abwesenheit", "absence", "away from",
    ]

    private static let autoReplyPrefixes = autoReplySubjects.map { Array($0.utf8) }
    private static let autoReplies = PhraseSet([autoReplySubjects.map { ": " + $0 }])
    private static let senders = PhraseSet([senderWords])
    private static let subjectsOfBounces = PhraseSet([subjectWords])
    private static let explanations = PhraseSet([explanationWords])

    static func looksLikeBounce(_ message: BounceMessage) -> Bool {
        let subject = PhraseSearch.lowercasedBytes(message.header("Subject") ?? "")
        // RFC 3834 §5: auto-replies carry Auto-Submitted: auto-replied; Precedence and X-Autoreply are older.
        if autoReplyPrefixes.contains(where: { subject.starts(with: $0) }) || autoReplies.matches(subject) {
            return false
        }
        if message.header("X-Autoreply") != nil || message.header("X-Autorespond") != nil { return false }
        let from = PhraseSearch.lowercasedBytes(message.header("From") ?? "")
        if senders.matches(from) { return true }
        if from.isEmpty || PhraseSearch.contains(from, emptyPath) { return true }
        if subjectsOfBounces.matches(subject) { return true }
        // A notice from an unnamed system that returns the original and says why.
        return message.original != nil && explanations.matches(message.explanation.utf8)
    }

    private static let emptyPath = Array("<>".utf8)
}
