/// Why a command line was refused; each case maps to one reply (RFC 5321 §4.2.2, RFC 3463 §3.6).
public enum SMTPCommandError: Error, Hashable, Sendable {
    /// 500 5.5.1: unknown verb.
    case unrecognized(String)
    /// 501 5.5.2: the detail names what is wrong.
    case syntax(String)
    /// 501 5.1.7: malformed reverse-path.
    case badSenderAddress(String)
    /// 501 5.1.3: malformed forward-path.
    case badRecipientAddress(String)
    /// 555 5.5.4: unrecognized MAIL/RCPT parameter (RFC 5321 §4.1.1.11).
    case unknownParameter(String)
    /// 501 5.5.4: bad value, duplicate, NEVER combined ...
    case invalidParameter(String)
    /// 500 5.5.6: the command line exceeds the limit (RFC 5321 §4.5.3.1.4).
    case lineTooLong

    /// The reply to send. Details are fixed texts of this module; nothing the client sent is echoed
    /// except a parameter keyword, which the grammar restricts to letters, digits and "-".
    public var reply: SMTPReply {
        switch self {
        case .unrecognized:
            SMTPReply(code: 500, enhanced: .invalidCommand, "Command unrecognized")
        case .syntax(let detail):
            SMTPReply(code: 501, enhanced: .syntaxError, detail)
        case .badSenderAddress(let detail):
            SMTPReply(code: 501, enhanced: .badSenderMailboxSyntax, "Bad sender address syntax: \(detail)")
        case .badRecipientAddress(let detail):
            SMTPReply(code: 501, enhanced: .badDestinationMailboxSyntax, "Bad recipient address syntax: \(detail)")
        case .unknownParameter(let keyword):
            SMTPReply(code: 555, enhanced: .invalidArguments, "Unsupported parameter \(keyword.prefix(32))")
        case .invalidParameter(let detail):
            SMTPReply(code: 501, enhanced: .invalidArguments, String(detail.prefix(100)))
        case .lineTooLong:
            SMTPReply(code: 500, enhanced: .lineTooLong, "Line too long")
        }
    }
}
