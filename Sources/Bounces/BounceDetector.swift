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

    static func looksLikeBounce(_ message: BounceMessage) -> Bool {
        let subject = (message.header("Subject") ?? "").lowercased()
        // RFC 3834 §5: auto-replies carry Auto-Submitted: auto-replied; Precedence and X-Autoreply are older.
        if autoReplySubjects.contains(where: { subject.hasPrefix($0) || subject.contains(": " + $0) }) {
            return false
        }
        if message.header("X-Autoreply") != nil || message.header("X-Autorespond") != nil { return false }
        let from = (message.header("From") ?? "").lowercased()
        if senderWords.contains(where: { from.contains($0) }) { return true }
        if from.contains("<>") || from.isEmpty { return true }
        if subjectWords.contains(where: { subject.contains($0) }) { return true }
        // A notice from an unnamed system that returns the original and says why.
        let text = message.explanation.lowercased()
        return message.original != nil && explanationWords.contains { text.contains($0) }
    }
}
