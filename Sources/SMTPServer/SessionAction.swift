import SMTPCore

/// What the session asks its channel handler to do next.
enum SessionAction: Equatable {
    /// Write a reply and go on reading commands.
    case reply(SMTPReply)
    /// Write a reply, flush and close the connection.
    case replyAndClose(SMTPReply)
    /// Write the 220 to STARTTLS, drop every buffered input byte
    /// (RFC 3207 §4.2, CVE-2011-0411) and start the TLS handshake.
    case startTLS(SMTPReply)
    /// Write the 354 and read message text up to CRLF.CRLF.
    case receiveData(SMTPReply)
    /// Read exactly `size` octets of a BDAT chunk; keep them unless
    /// `discard` (the transaction already failed).
    case receiveChunk(size: Int, discard: Bool)
    /// Write a 334 challenge and read the next line raw (AUTH exchange).
    case authChallenge(SMTPReply)
    /// Check credentials off the event loop, then call `authResult`.
    case authenticate(user: String, password: [UInt8])
    /// Hand the transaction's message to the sink, then call `stored`.
    case store
    /// Nothing to do.
    case none
}
