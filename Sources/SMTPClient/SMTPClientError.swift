import SMTPCore

/// Why an outbound session failed as a whole. Per-recipient refusals are
/// replies in `TransactionResult`, not errors.
public enum SMTPClientError: Error, Sendable, CustomStringConvertible {
    /// TCP connect failed or was refused.
    case connectFailed(String)
    /// The server's greeting was not 220 (RFC 5321 §3.1).
    case greetingRefused(SMTPReply)
    /// EHLO and HELO were both refused.
    case heloRefused(SMTPReply)
    /// TLS was required and could not be had.
    case tlsUnavailable(String)
    /// No reply within the RFC 5321 §4.5.3.2 timeout.
    case timeout(String)
    /// The connection closed while a reply was awaited.
    case connectionClosed
    /// AUTH was refused or not offered.
    case authenticationFailed(SMTPReply?)
    /// The server sent something that is not an SMTP reply.
    case protocolViolation(String)

    public var description: String {
        switch self {
        case .connectFailed(let reason): "connect failed: \(reason)"
        case .greetingRefused(let reply): "greeting refused: \(reply.code) \(reply.lines.joined(separator: " "))"
        case .heloRefused(let reply): "EHLO/HELO refused: \(reply.code) \(reply.lines.joined(separator: " "))"
        case .tlsUnavailable(let reason): "TLS required but unavailable: \(reason)"
        case .timeout(let stage): "timeout waiting for \(stage) reply"
        case .connectionClosed: "connection closed by peer"
        case .authenticationFailed(let reply):
            "authentication failed: "
                + (reply.map { "\($0.code) \($0.lines.joined(separator: " "))" } ?? "AUTH not offered")
        case .protocolViolation(let reason): "protocol violation: \(reason)"
        }
    }
}
