/// What happened, as named in a webhook's subscription and in the `event` field of every payload.
///
/// The raw values are the product's documented interface: receivers switch on them and administrators
/// list them when they create a webhook, so a raw value never changes once shipped; new events are added,
/// old ones are not renamed.
public enum WebhookEvent: String, Sendable, Codable, CaseIterable {
    /// A remote MTA accepted the message (RFC 5321 §4.2.1, a 2yz reply to the end of DATA).
    case delivered
    /// The message will not be delivered: a 5yz reply, or a DSN (RFC 3464) that came back.
    case bounced
    /// A 4yz reply; the message stays queued for another attempt (RFC 5321 §4.5.4.1).
    case deferred
    /// The tracking pixel of a campaign message was fetched.
    case opened
    /// A tracked link of a campaign message was followed.
    case clicked
    /// The recipient unsubscribed, by link or by one-click `List-Unsubscribe-Post` (RFC 8058).
    case unsubscribed
    /// A feedback-loop report (RFC 5965) marked the message as spam.
    case complained
    /// Every recipient of a campaign has been handed to the queue.
    case campaignFinished = "campaign_finished"
    /// One step of an automation ran for a contact.
    case automationStepDone = "automation_step_done"
}
