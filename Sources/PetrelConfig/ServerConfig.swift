import Foundation

/// `[server]`
public struct ServerConfig: Sendable, Equatable {
    /// The name in the banner, the EHLO reply, Received headers and Message-IDs; empty for the system host name
    /// (see `effectiveHostname`).
    public var hostname: String
    /// Root of all runtime data; relative to the working directory when relative.
    public var dataDirectory: String
    /// How long sessions may finish after the listeners stop, before they are told 421 and closed.
    public var shutdownGrace: Duration

    public init(hostname: String, dataDirectory: String, shutdownGrace: Duration) {
        self.hostname = hostname
        self.dataDirectory = dataDirectory
        self.shutdownGrace = shutdownGrace
    }

    public static let defaults = ServerConfig(hostname: "", dataDirectory: "queue", shutdownGrace: .seconds(30))

    /// `hostname`, or the machine's host name when it is empty.
    public var effectiveHostname: String {
        effectiveHostname(system: ProcessInfo.processInfo.hostName)
    }

    /// `hostname`, or `system` when it is empty ("localhost" if that is empty too).
    public func effectiveHostname(system: String) -> String {
        if !hostname.isEmpty { return hostname }
        return system.isEmpty ? "localhost" : system
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        hostname = try reader.string("hostname", default: defaults.hostname)
        if !hostname.isEmpty && !DomainName.isValid(hostname) {
            throw reader.error("hostname", "\"\(hostname)\" is not a domain name such as \"mail.example.com\"")
        }
        dataDirectory = try reader.string("data_directory", default: defaults.dataDirectory)
        if dataDirectory.isEmpty { throw reader.error("data_directory", "must not be empty") }
        shutdownGrace = try reader.duration("shutdown_grace", default: defaults.shutdownGrace)
        try reader.finish()
    }
}
