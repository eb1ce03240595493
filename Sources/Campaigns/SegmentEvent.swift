/// What happened to a contact in a campaign, for `Segment.event`: each case names the column of
/// `campaign_recipient` that holds when it first happened (nil when it never did). `opened` and `clicked`
/// count human activity only: machine opens and clicks (security scanners, privacy proxies) never set them.
public enum SegmentEvent: String, Sendable, Hashable, CaseIterable {
    case delivered, bounced, opened, clicked, unsubscribed, complained

    /// The `campaign_recipient` column: the raw value, a fixed word, never user input.
    var column: String { rawValue }
}
