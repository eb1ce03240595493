/// One `[[listener]]`: an address on which SMTP is served, and how.
public struct ListenerConfig: Sendable, Equatable {
    /// Unique among the listeners; used in logs.
    public var name: String
    public var address: SocketAddressSpec
    public var mode: ListenerMode
    public var tls: ListenerTLS
    /// Refuse MAIL before STARTTLS with 530 5.7.0 (RFC 3207 §4).
    public var requireTLS: Bool
    /// Offer AUTH before STARTTLS (only for loopback tests).
    public var allowPlaintextAuth: Bool

    public init(
        name: String,
        address: SocketAddressSpec,
        mode: ListenerMode,
        tls: ListenerTLS,
        requireTLS: Bool,
        allowPlaintextAuth: Bool
    ) {
        self.name = name
        self.address = address
        self.mode = mode
        self.tls = tls
        self.requireTLS = requireTLS
        self.allowPlaintextAuth = allowPlaintextAuth
    }

    /// The listeners used when the configuration defines none.
    public static let defaults = [
        ListenerConfig(
            name: "relay",
            address: SocketAddressSpec(host: "127.0.0.1", port: 2525),
            mode: .relay,
            tls: .starttls,
            requireTLS: false,
            allowPlaintextAuth: false
        ),
        ListenerConfig(
            name: "submission",
            address: SocketAddressSpec(host: "127.0.0.1", port: 2587),
            mode: .submission,
            tls: .starttls,
            requireTLS: false,
            allowPlaintextAuth: false
        ),
    ]

    /// The values of keys a `[[listener]]` may leave out; `name`, `address` and `mode` are required.
    static let optionalDefaults = (tls: ListenerTLS.starttls, requireTLS: false, allowPlaintextAuth: false)

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        name = try reader.requiredString("name")
        let text = try reader.requiredString("address")
        guard let (host, portText) = SocketAddressSpec.split(text) else {
            throw reader.error(
                "address",
                "expected \"host:port\" such as \"127.0.0.1:2525\" or \"[::1]:2525\", got \"\(text)\""
            )
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw reader.error("address", "port must be between 1 and 65535, got \(portText)")
        }
        address = SocketAddressSpec(host: host, port: port)
        guard reader.table["mode"] != nil else { throw reader.error("mode", "missing (required)") }
        mode = try reader.choice("mode", default: .relay)
        let defaults = Self.optionalDefaults
        tls = try reader.choice("tls", default: defaults.tls)
        requireTLS = try reader.bool("require_tls", default: defaults.requireTLS)
        allowPlaintextAuth = try reader.bool("allow_plaintext_auth", default: defaults.allowPlaintextAuth)
        try reader.finish()
        if requireTLS && tls == .none {
            throw reader.error("require_tls", "cannot be true when tls is \"none\"")
        }
    }
}
