import NIOCore
import SMTPCore

/// One recipient accepted by RCPT, with its DSN parameters.
public struct AcceptedRecipient: Sendable, Hashable {
    public var path: ForwardPath
    /// The address mail is delivered to: the mailbox, or postmaster at this
    /// host for the bare `<Postmaster>` (RFC 5321 §4.1.1.3).
    public var address: String
    public var parameters: RcptParameters
}

/// A complete message, ready to be stored: envelope, session facts and the
/// final bytes (trace header included).
public struct AcceptedMessage: Sendable {
    public var queueID: String
    public var sender: ReversePath
    public var mailParameters: MailParameters
    public var recipients: [AcceptedRecipient]
    public var clientAddress: String
    public var heloName: String
    public var authUser: String?
    public var listener: String
    public var tlsProtocol: String?
    public var messageID: String?
    /// The message as it will be stored and delivered, CRLF line endings.
    public var body: ByteBuffer
}

/// Where accepted mail goes. The server replies 250 only once `accept`
/// reports success, so an implementation must call back only after the
/// message is on stable storage.
public protocol MessageSink: Sendable {
    /// A fresh queue id, used in the Received header and the 250 reply.
    func makeQueueID() -> String
    /// Stores the message durably; `completion` may run on any thread.
    func accept(_ message: AcceptedMessage, completion: @escaping @Sendable (Result<Void, Error>) -> Void)
}

/// Checks AUTH credentials. May be slow (a password hash): the server calls
/// it off the event loop.
public protocol Authenticator: Sendable {
    func authenticate(user: String, password: [UInt8]) -> Bool
}

/// Storage is full: the client should try later (RFC 3463 4.3.1).
public struct InsufficientStorageError: Error {
    public init() {}
}
