/// `[limits]`: every size, count and timeout of an SMTP session, in one place.
public struct LimitsConfig: Sendable, Equatable {
    /// Octets of a command line including CRLF; at least 512 (RFC 5321 §4.5.3.1.4).
    public var maxCommandLine: Int
    /// Octets of a line of message text including CRLF; at least 1000 (RFC 5321 §4.5.3.1.6).
    public var maxTextLine: Int
    /// Largest message accepted, advertised as SIZE (RFC 1870).
    public var maxMessageSize: Int
    /// Recipients per message; at least 100 (RFC 5321 §4.5.3.1.8).
    public var maxRecipients: Int
    public var maxConnections: Int
    public var maxConnectionsPerIP: Int
    /// Protocol errors in one session before 421.
    public var maxErrors: Int
    /// Failed AUTH attempts in one session before 421.
    public var maxAuthFailures: Int
    /// Wait for a command; at least 5 minutes recommended (RFC 5321 §4.5.3.2.7).
    public var commandTimeout: Duration
    /// Wait between chunks of message data (RFC 5321 §4.5.3.2.5).
    public var dataBlockTimeout: Duration
    /// The whole DATA/BDAT phase of one message (RFC 5321 §4.5.3.2.6).
    public var dataTimeout: Duration

    public init(
        maxCommandLine: Int,
        maxTextLine: Int,
        maxMessageSize: Int,
        maxRecipients: Int,
        maxConnections: Int,
        maxConnectionsPerIP: Int,
        maxErrors: Int,
        maxAuthFailures: Int,
        commandTimeout: Duration,
        dataBlockTimeout: Duration,
        dataTimeout: Duration
    ) {
        self.maxCommandLine = maxCommandLine
        self.maxTextLine = maxTextLine
        self.maxMessageSize = maxMessageSize
        self.maxRecipients = maxRecipients
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.maxErrors = maxErrors
        self.maxAuthFailures = maxAuthFailures
        self.commandTimeout = commandTimeout
        self.dataBlockTimeout = dataBlockTimeout
        self.dataTimeout = dataTimeout
    }

    public static let defaults = LimitsConfig(
        maxCommandLine: 512,
        maxTextLine: 1000,
        maxMessageSize: 50 << 20,
        maxRecipients: 1000,
        maxConnections: 2000,
        maxConnectionsPerIP: 200,
        maxErrors: 10,
        maxAuthFailures: 3,
        commandTimeout: .seconds(5 * 60),
        dataBlockTimeout: .seconds(3 * 60),
        dataTimeout: .seconds(10 * 60)
    )

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        maxCommandLine = try reader.integer(
            "max_command_line",
            default: defaults.maxCommandLine,
            minimum: 512,
            reason: "RFC 5321 §4.5.3.1.4: a server must accept command lines of 512 octets"
        )
        maxTextLine = try reader.integer(
            "max_text_line",
            default: defaults.maxTextLine,
            minimum: 1000,
            reason: "RFC 5321 §4.5.3.1.6: a server must accept text lines of 1000 octets"
        )
        maxMessageSize = try reader.size("max_message_size", default: defaults.maxMessageSize)
        maxRecipients = try reader.integer(
            "max_recipients",
            default: defaults.maxRecipients,
            minimum: 100,
            reason: "RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per message"
        )
        maxConnections = try reader.integer("max_connections", default: defaults.maxConnections)
        maxConnectionsPerIP = try reader.integer("max_connections_per_ip", default: defaults.maxConnectionsPerIP)
        maxErrors = try reader.integer("max_errors", default: defaults.maxErrors)
        maxAuthFailures = try reader.integer("max_auth_failures", default: defaults.maxAuthFailures)
        commandTimeout = try reader.duration("command_timeout", default: defaults.commandTimeout)
        dataBlockTimeout = try reader.duration("data_block_timeout", default: defaults.dataBlockTimeout)
        dataTimeout = try reader.duration("data_timeout", default: defaults.dataTimeout)
        try reader.finish()
    }
}
