/// `[http]`: the HTTP server beside the SMTP listeners: the campaign and injection API under `/api/v1`, and
/// the public tracking, unsubscribe and preference pages.
public struct HTTPConfig: Sendable, Equatable {
    /// Whether `petrel serve` runs the HTTP server.
    public var enabled: Bool
    /// Where it listens.
    public var listen: SocketAddressSpec
    /// The base of links in sent mail (tracking, unsubscribe, preferences, double opt-in), as recipients reach
    /// this server, e.g. `https://mail.example.org`. Empty: `http://` + `listen`.
    public var publicURL: String
    /// The HMAC key of tracking and unsubscribe tokens (32 random bytes); empty: `<data_directory>/tracking.key`,
    /// generated on first start.
    public var trackingKeyFile: String
    /// Opens and clicks within this many seconds of sending count as machine activity (security scanners,
    /// prefetching proxies).
    public var machineWindow: Duration

    public init(
        enabled: Bool, listen: SocketAddressSpec, publicURL: String, trackingKeyFile: String, machineWindow: Duration
    ) {
        self.enabled = enabled
        self.listen = listen
        self.publicURL = publicURL
        self.trackingKeyFile = trackingKeyFile
        self.machineWindow = machineWindow
    }

    public static let defaults = HTTPConfig(
        enabled: true, listen: SocketAddressSpec(host: "127.0.0.1", port: 8025), publicURL: "", trackingKeyFile: "",
        machineWindow: .seconds(2))

    /// `publicURL`, or `http://` + `listen` when it is empty; never with a trailing slash.
    public var effectivePublicURL: String {
        var url = publicURL.isEmpty ? "http://\(listen)" : publicURL
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        enabled = try reader.bool("enabled", default: defaults.enabled)
        let text = try reader.string("listen", default: defaults.listen.description)
        guard let listen = SocketAddressSpec(text) else {
            throw reader.error("listen", "expected host:port, got \"\(text)\"")
        }
        self.listen = listen
        publicURL = try reader.string("public_url", default: defaults.publicURL)
        if !publicURL.isEmpty && !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            throw reader.error("public_url", "must start with http:// or https://, got \"\(publicURL)\"")
        }
        trackingKeyFile = try reader.string("tracking_key_file", default: defaults.trackingKeyFile)
        machineWindow = try reader.duration("machine_window", default: defaults.machineWindow, allowZero: true)
        try reader.finish()
    }
}
