/// One rendered campaign message for one recipient.
public struct CampaignMessage: Sendable {
    public var queueID: String
    /// The envelope sender (the queue rewrites it to a VERP address when bounce domains are configured).
    public var sender: String
    public var recipient: String
    /// The whole message: header fields and body, CRLF line ends.
    public var body: [UInt8]
    public var campaignID: Int64

    public init(queueID: String, sender: String, recipient: String, body: [UInt8], campaignID: Int64) {
        self.queueID = queueID
        self.sender = sender
        self.recipient = recipient
        self.body = body
        self.campaignID = campaignID
    }
}

/// Where campaign messages go: the spool and the queue of the running server, handed over directly (not
/// over SMTP).
public protocol CampaignMessageSink: Sendable {
    /// A new queue id.
    func makeQueueID() -> String
    /// Stores the messages durably; returns once all are on stable storage.
    func store(_ messages: [CampaignMessage]) async throws
    /// Hands stored messages to the queue for delivery.
    func release(queueIDs: [String]) async
    /// Whether the spool holds this message (recovery: a pending ledger row whose message was stored).
    func isSpooled(queueID: String) -> Bool
}

/// Renders a campaign's messages: prepared once per run (template version, links), then per contact.
public protocol CampaignComposer: Sendable {
    func prepare(_ campaign: Campaign) throws -> any PreparedCampaign
}

public protocol PreparedCampaign: Sendable {
    /// The whole message for one contact.
    func message(for contact: Contact, queueID: String) throws -> [UInt8]
}
