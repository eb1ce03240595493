/// Where a delivery stands; stored as the raw value in `webhook_delivery.status`.
public enum WebhookDeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for its `next_attempt` time (or being attempted right now).
    case pending
    /// The receiver answered 2xx (RFC 9110 §15.3); final.
    case delivered
    /// `maxAttempts` attempts failed; final unless retried by hand.
    case failed
}
