/// The result of classifying one SMTP reply.
public struct SMTPReplyClassification: Sendable, Hashable {
    public var reason: BounceReason
    /// The enhanced status code given, or the pseudo code standing for the reason.
    public var deliveryStatus: String
    /// 5xx: the server will not accept this message for this recipient (RFC 5321 §4.2.1).
    public var isPermanent: Bool
    /// Suppress the address: a permanent failure of the address itself.
    public var isHardBounce: Bool
}

/// Classifies a synchronous SMTP reply (a 4xx/5xx answer to RCPT or DATA) into the bounce vocabulary, so a
/// reply seen during delivery and a bounce received later lead to the same suppression decision.
public enum SMTPReplyClassifier {
    /// - Parameters:
    ///   - code: the three-digit reply code (RFC 5321 §4.2).
    ///   - enhancedCode: the RFC 3463 code from the reply text (RFC 2034), if the server sent one.
    ///   - text: the reply text, all lines joined.
    public static func classify(code: Int, enhancedCode: String?, text: String) -> SMTPReplyClassification {
        let permanent = code / 100 == 5
        let status = enhancedCode ?? TextScanner.enhancedStatus(in: text)
        var reason = ReasonClassifier.classify(diagnostic: text, status: status)
        if reason == .onHold || reason == .undefined, !permanent { reason = .systemError }
        return SMTPReplyClassification(
            reason: reason,
            deliveryStatus: status ?? reason.pseudoStatus(temporary: !permanent),
            isPermanent: permanent,
            isHardBounce: permanent && reason.isHard(permanent: true)
        )
    }
}
