import MailMessage

/// What one bounce or feedback report says about one recipient.
public struct BounceRecord: Sendable, Hashable {
    /// The bounced or reported address, lower case; empty when a report names none.
    public var recipient: String
    public var reason: BounceReason
    /// Enhanced status code (RFC 3463) such as `5.1.1`, a pseudo code `5.0.9NN` when the bounce has none,
    /// or empty for a feedback report.
    public var deliveryStatus: String
    /// SMTP reply code (RFC 5321 §4.2) such as `550`, when the bounce quotes one.
    public var replyCode: Int?
    /// True only when the address itself is permanently bad (see `BounceReason.isHard(permanent:)`).
    public var isHardBounce: Bool
    /// The remote server's error text or the bounce's explanation, on one line.
    public var diagnosticCode: String
    /// RFC 3464 §2.3.3 action: `failed`, `delayed`, … or empty.
    public var action: String
    /// RFC 5965 §3.1 Feedback-Type (`abuse`, `auth-failure`, …) for a feedback report, else empty.
    public var feedbackType: String
    /// Message-ID of the returned or reported original message, without angle brackets, or empty.
    public var messageID: String
    /// Header fields of the returned original message (X-Campaign-ID, List-Id …), when it came back.
    public var originalHeaders: [HeaderField]

    public init(
        recipient: String, reason: BounceReason, deliveryStatus: String, replyCode: Int?, isHardBounce: Bool,
        diagnosticCode: String, action: String, feedbackType: String, messageID: String,
        originalHeaders: [HeaderField]
    ) {
        self.recipient = recipient
        self.reason = reason
        self.deliveryStatus = deliveryStatus
        self.replyCode = replyCode
        self.isHardBounce = isHardBounce
        self.diagnosticCode = diagnosticCode
        self.action = action
        self.feedbackType = feedbackType
        self.messageID = messageID
        self.originalHeaders = originalHeaders
    }

    /// The first value of the original message's header `name` (case-insensitive), e.g. `X-Campaign-ID`.
    public func originalHeader(_ name: String) -> String? {
        originalHeaders.value(of: name)
    }
}
