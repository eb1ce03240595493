/// The argument of RCPT TO (RFC 5321 §4.1.1.3, §4.1.2).
public enum ForwardPath: Hashable, Sendable, CustomStringConvertible {
    /// The bare `<Postmaster>` (any case), which every server must accept (RFC 5321 §4.5.1).
    case postmaster
    case mailbox(Mailbox)

    /// "<Postmaster>" or "<local@domain>".
    public var description: String {
        switch self {
        case .postmaster: "<Postmaster>"
        case .mailbox(let mailbox): "<\(mailbox)>"
        }
    }
}
