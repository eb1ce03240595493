import Queue
import SMTPCore

extension RecipientOutcome {
    /// The queue's view of an SMTP reply: 2xx delivered, 4xx try again, 5xx
    /// never (RFC 5321 §4.2.1). Without an enhanced code the class alone is
    /// known (RFC 3463 §3.1: X.0.0).
    init(reply: SMTPReply, host: String) {
        let kind: Kind =
            switch reply.code / 100 {
            case 2: .delivered
            case 5: .permanent
            default: .temporary
            }
        let status = reply.enhanced?.description ?? "\(reply.code / 100 == 2 ? 2 : (reply.code / 100 == 5 ? 5 : 4)).0.0"
        self.init(
            kind: kind, code: reply.code, status: status, text: reply.lines.joined(separator: " "), remoteHost: host)
    }

    static func temporary(_ status: String, _ text: String, host: String? = nil) -> RecipientOutcome {
        RecipientOutcome(kind: .temporary, code: 0, status: status, text: text, remoteHost: host)
    }

    static func permanent(_ status: String, _ text: String, host: String? = nil) -> RecipientOutcome {
        RecipientOutcome(kind: .permanent, code: 0, status: status, text: text, remoteHost: host)
    }
}
