import MailMessage

/// An RFC 5965 feedback report (ARF): the machine-readable part of an abuse, fraud, auth-failure (RFC 6591)
/// or opt-out report.
struct FeedbackReport {
    /// RFC 5965 §3.1: Feedback-Type (abuse, fraud, virus, other, not-spam, auth-failure, opt-out …).
    var feedbackType = ""
    /// RFC 5965 §3.2: Original-Rcpt-To, one per recipient named.
    var recipients: [String] = []

    init(parsing text: String) {
        for (name, value) in DeliveryStatusFields.fields(text) {
            switch name {
            case "feedback-type": feedbackType = value.lowercased().trimmed
            case "original-rcpt-to", "removal-recipient":
                let address = DeliveryStatusFields.address(value)
                if !address.isEmpty && !recipients.contains(address) { recipients.append(address) }
            default: break
            }
        }
    }
}
