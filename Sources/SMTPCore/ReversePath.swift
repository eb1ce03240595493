/// The argument of MAIL FROM: `Reverse-path = Path / "<>"` (RFC 5321 §4.1.2).
public enum ReversePath: Hashable, Sendable, CustomStringConvertible {
    /// The null reverse-path `<>`, used by bounces (RFC 5321 §4.5.5).
    case null
    case mailbox(Mailbox)

    /// "<>" or "<local@domain>".
    public var description: String {
        switch self {
        case .null: "<>"
        case .mailbox(let mailbox): "<\(mailbox)>"
        }
    }

    /// The address without brackets; empty for the null path.
    public var address: String {
        switch self {
        case .null: ""
        case .mailbox(let mailbox): mailbox.description
        }
    }
}
