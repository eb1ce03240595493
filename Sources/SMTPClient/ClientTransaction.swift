import NIOCore
import SMTPCore

/// One message to send on an open connection.
public struct ClientTransaction: Sendable {
    public var sender: ReversePath
    public var mailParameters: MailParameters
    public var recipients: [(path: ForwardPath, parameters: RcptParameters)]
    /// The message, CRLF line endings, not dot-stuffed.
    public var message: ByteBuffer

    public init(
        sender: ReversePath, mailParameters: MailParameters = MailParameters(),
        recipients: [(path: ForwardPath, parameters: RcptParameters)], message: ByteBuffer
    ) {
        self.sender = sender
        self.mailParameters = mailParameters
        self.recipients = recipients
        self.message = message
    }
}

/// The server's answers to one transaction.
public struct TransactionResult: Sendable {
    public var mail: SMTPReply
    /// One reply per recipient, in order; empty when MAIL failed.
    public var recipients: [SMTPReply]
    /// The reply after the message text (or to DATA when refused); nil when
    /// no recipient was accepted.
    public var data: SMTPReply?

    /// The final reply that decides recipient `index`'s fate.
    public func outcome(forRecipient index: Int) -> SMTPReply {
        guard mail.isPositiveCompletion else { return mail }
        let rcpt = recipients[index]
        guard rcpt.isPositiveCompletion else { return rcpt }
        return data ?? rcpt
    }
}
