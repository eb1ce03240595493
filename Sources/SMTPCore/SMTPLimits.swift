/// The protocol limits, in one place (RFC 5321 §4.5.3).
public struct SMTPLimits: Hashable, Sendable {
    /// RFC 5321 §4.5.3.1.4: a command line is at least 512 octets, CRLF included.
    public var maxCommandLine = 512
    /// RFC 5321 §4.5.3.1.6: a text line is at least 1000 octets, CRLF included.
    public var maxTextLine = 1000
    /// RFC 5321 §4.5.3.1.7 (at least 64K), announced with SIZE (RFC 1870 §4).
    public var maxMessageSize = 52_428_800
    /// RFC 5321 §4.5.3.1.8: at least 100 recipients per transaction.
    public var maxRecipients = 1000
    /// Errors before the session is closed (RFC 5321 §4.3.2 allows a server to end a misbehaving session).
    public var maxErrors = 10
    /// Failed AUTH attempts before the session is closed (RFC 4954 §4 leaves the limit to the server).
    public var maxAuthFailures = 3
    /// RFC 5321 §4.5.3.2.7: server timeout waiting for the next command, at least 5 minutes.
    public var commandTimeout: Duration = .seconds(300)
    /// RFC 5321 §4.5.3.2.5: data block timeout, 3 minutes.
    public var dataBlockTimeout: Duration = .seconds(180)
    /// RFC 5321 §4.5.3.2.6: DATA termination, 10 minutes.
    public var dataTimeout: Duration = .seconds(600)

    /// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets, CRLF included.
    public static let maxReplyLine = 512
    /// RFC 5321 §4.5.3.1.1: a local part is at most 64 octets.
    public static let maxLocalPartLength = 64
    /// RFC 5321 §4.5.3.1.2: a domain is at most 255 octets.
    public static let maxDomainLength = 255
    /// RFC 5321 §4.5.3.1.3: a reverse- or forward-path is at most 256 octets, punctuation included.
    public static let maxPathLength = 256

    public init() {}

    /// The smallest values a conforming server may use (RFC 5321 §4.5.3.1).
    public static let rfc5321Minimums: SMTPLimits = {
        var limits = SMTPLimits()
        limits.maxCommandLine = 512
        limits.maxTextLine = 1000
        limits.maxRecipients = 100
        limits.maxMessageSize = 65_536
        return limits
    }()
}
