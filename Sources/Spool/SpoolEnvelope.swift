import Foundation

/// Everything about a spooled message except its body.
public struct SpoolEnvelope: Hashable, Sendable, Codable {
    /// Reverse path without brackets; "" is the null sender.
    public var sender: String
    public var recipients: [SpoolRecipient]
    public var arrival: Date
    /// RFC 6152 / RFC 3030 BODY: "7BIT", "8BITMIME" or "BINARYMIME".
    public var bodyType: String?
    /// RFC 6531 SMTPUTF8.
    public var smtpUTF8: Bool
    /// RFC 8689 REQUIRETLS.
    public var requireTLS: Bool
    /// RFC 3461 §4.4 ENVID.
    public var envid: String?
    /// RFC 3461 §4.3 RET: "FULL" or "HDRS".
    public var ret: String?
    /// The Message-ID header value, for listing.
    public var messageID: String?
    public var clientAddress: String?
    public var heloName: String?
    public var authUser: String?
    public var listener: String?
    /// 0 is normal.
    public var priority: Int8
    /// Anything else (tenant, campaign ...).
    public var attributes: [String: String]

    public init(
        sender: String,
        recipients: [SpoolRecipient],
        arrival: Date,
        bodyType: String? = nil,
        smtpUTF8: Bool = false,
        requireTLS: Bool = false,
        envid: String? = nil,
        ret: String? = nil,
        messageID: String? = nil,
        clientAddress: String? = nil,
        heloName: String? = nil,
        authUser: String? = nil,
        listener: String? = nil,
        priority: Int8 = 0,
        attributes: [String: String] = [:]
    ) {
        self.sender = sender
        self.recipients = recipients
        self.arrival = arrival
        self.bodyType = bodyType
        self.smtpUTF8 = smtpUTF8
        self.requireTLS = requireTLS
        self.envid = envid
        self.ret = ret
        self.messageID = messageID
        self.clientAddress = clientAddress
        self.heloName = heloName
        self.authUser = authUser
        self.listener = listener
        self.priority = priority
        self.attributes = attributes
    }
}
