/// `[delivery]`: how accepted mail is sent on.
public struct DeliveryConfig: Sendable, Equatable {
    /// STARTTLS use towards receiving MXs (RFC 3207).
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case opportunistic, required, disabled
    }

    /// Deliver at all (off: accept and keep only).
    public var enabled: Bool
    /// TCP port of receiving MXs (25; tests use another).
    public var port: Int
    /// Name in EHLO when the egress source has none; empty: server.hostname.
    public var ehloName: String
    public var tls: TLSMode
    /// Check certificates against the system trust store.
    public var verifyCertificates: Bool
    /// DNS server "host:port"; empty: /etc/resolv.conf.
    public var resolver: String
    /// Answers are cached at least this long, even with a smaller TTL.
    public var dnsMinimumTTL: Duration = .seconds(5)
    /// First retry after a temporary failure, growth factor, longest wait.
    public var retryInitial: Duration
    public var retryFactor: Double
    public var retryMax: Duration
    /// Age after which a message that still fails is returned (expired).
    public var maxAge: Duration
    /// Age at which a NOTIFY=DELAY recipient gets a delay notice.
    public var delayWarning: Duration
    /// Traffic shaping rules; empty: the built-in defaults.
    public var shaping: String

    public init(
        enabled: Bool, port: Int, ehloName: String, tls: TLSMode, verifyCertificates: Bool, resolver: String,
        retryInitial: Duration, retryFactor: Double, retryMax: Duration, maxAge: Duration, delayWarning: Duration,
        shaping: String
    ) {
        self.enabled = enabled
        self.port = port
        self.ehloName = ehloName
        self.tls = tls
        self.verifyCertificates = verifyCertificates
        self.resolver = resolver
        self.retryInitial = retryInitial
        self.retryFactor = retryFactor
        self.retryMax = retryMax
        self.maxAge = maxAge
        self.delayWarning = delayWarning
        self.shaping = shaping
    }

    /// Postfix: minimal_backoff_time 300 s, maximal_backoff_time 4000 s,
    /// maximal_queue_lifetime 5 d; KumoMTA retries start at 20 min.
    public static let defaults = DeliveryConfig(
        enabled: true, port: 25, ehloName: "", tls: .opportunistic, verifyCertificates: true, resolver: "",
        retryInitial: .seconds(300), retryFactor: 2, retryMax: .seconds(3600), maxAge: .seconds(5 * 86_400),
        delayWarning: .seconds(4 * 3600), shaping: "")

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        enabled = try reader.bool("enabled", default: defaults.enabled)
        port = try reader.integer("port", default: defaults.port)
        if port > 65_535 { throw reader.error("port", "must be a TCP port (1-65535), got \(port)") }
        ehloName = try reader.string("ehlo_name", default: defaults.ehloName)
        tls = try reader.choice("tls", default: defaults.tls)
        verifyCertificates = try reader.bool("verify_certificates", default: defaults.verifyCertificates)
        resolver = try reader.string("resolver", default: defaults.resolver)
        dnsMinimumTTL = try reader.duration("dns_minimum_ttl", default: defaults.dnsMinimumTTL, allowZero: true)
        if !resolver.isEmpty && SocketAddressSpec(resolver) == nil {
            throw reader.error("resolver", "expected \"host:port\", got \"\(resolver)\"")
        }
        retryInitial = try reader.duration("retry_initial", default: defaults.retryInitial)
        retryFactor = try reader.float("retry_factor", default: defaults.retryFactor)
        if retryFactor < 1 { throw reader.error("retry_factor", "must be at least 1, got \(retryFactor)") }
        retryMax = try reader.duration("retry_max", default: defaults.retryMax)
        maxAge = try reader.duration("max_age", default: defaults.maxAge)
        delayWarning = try reader.duration("delay_warning", default: defaults.delayWarning)
        shaping = try reader.string("shaping", default: defaults.shaping)
        try reader.finish()
    }
}

extension ConfigReader {
    /// A float; an integer is accepted too.
    mutating func float(_ key: String, default fallback: Double) throws(ConfigError) -> Double {
        guard let value = value(key) else { return fallback }
        switch value {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        default: throw typeError(key, expected: "a number", got: value)
        }
    }
}
