import SMTPCore

/// One mail transaction: from MAIL to the end of DATA or the last BDAT
/// chunk (RFC 5321 §3.3).
struct SMTPTransaction {
    var sender: ReversePath
    var parameters: MailParameters
    var recipients: [AcceptedRecipient] = []
    /// BDAT chunks received so far; DATA may not follow (RFC 3030 §3).
    var usedBDAT = false
    /// Octets received through BDAT.
    var bdatSize = 0
    /// Set when a BDAT chunk failed: later chunks are read and discarded,
    /// and LAST gets this reply.
    var bdatFailure: SMTPReply?

    /// The message needs SMTPUTF8 from here on (RFC 6531 §3.4).
    var requiresSMTPUTF8: Bool { parameters.smtpUTF8 }
}
