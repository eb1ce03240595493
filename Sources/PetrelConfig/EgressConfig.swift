import Foundation

/// `[[source]]`: a local address to send from and the name to say in EHLO.
public struct SourceConfig: Sendable, Equatable {
    public var name: String
    /// Local IP address to bind; empty: any.
    public var address: String
    /// EHLO name; empty: [delivery] ehlo_name or server.hostname.
    public var ehloName: String
    /// First day of the source's warm-up ("YYYY-MM-DD"); nil: no daily cap.
    public var warmupStart: Date?

    public init(name: String, address: String = "", ehloName: String = "", warmupStart: Date? = nil) {
        self.name = name
        self.address = address
        self.ehloName = ehloName
        self.warmupStart = warmupStart
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        name = try reader.requiredString("name")
        address = try reader.string("address", default: "")
        if !address.isEmpty && IPAddress.parse(address) == nil {
            throw reader.error("address", "expected an IP address, got \"\(address)\"")
        }
        ehloName = try reader.string("ehlo_name", default: "")
        let start = try reader.string("warmup_start", default: "")
        if start.isEmpty {
            warmupStart = nil
        } else {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            guard let date = formatter.date(from: start) else {
                throw reader.error("warmup_start", "expected a date YYYY-MM-DD, got \"\(start)\"")
            }
            warmupStart = date
        }
        try reader.finish()
    }
}

/// `[[pool]]`: sources with weights; mail of a tenant or campaign that
/// names the pool goes out through one of them, chosen by weight.
public struct PoolConfig: Sendable, Equatable {
    public var name: String
    public var sources: [(source: String, weight: Int)]

    public init(name: String, sources: [(source: String, weight: Int)]) {
        self.name = name
        self.sources = sources
    }

    public static func == (lhs: PoolConfig, rhs: PoolConfig) -> Bool {
        lhs.name == rhs.name && lhs.sources.map(\.source) == rhs.sources.map(\.source)
            && lhs.sources.map(\.weight) == rhs.sources.map(\.weight)
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        name = try reader.requiredString("name")
        var parsed: [(String, Int)] = []
        for (offset, entry) in try reader.stringArray("sources", default: []).enumerated() {
            let parts = entry.split(separator: ":")
            guard (1...2).contains(parts.count), let weight = parts.count == 2 ? Int(parts[1]) : 1, weight > 0 else {
                throw reader.error(
                    "sources", element: offset, "expected \"source\" or \"source:weight\", got \"\(entry)\"")
            }
            parsed.append((String(parts[0]), weight))
        }
        if parsed.isEmpty { throw reader.error("sources", "a pool needs at least one source") }
        sources = parsed
        try reader.finish()
    }
}

/// `[[route]]`: mail for some domains (or a tenant) goes through an upstream
/// relay instead of the recipient's MX, with failover.
public struct RouteConfig: Sendable, Equatable {
    /// Recipient domains; "*" matches every domain.
    public var domains: [String]
    /// Only mail of this tenant; empty: any.
    public var tenant: String
    /// Relays in order, "host:port"; "mx" stands for direct MX delivery.
    public var relays: [String]
    public var tls: DeliveryConfig.TLSMode
    public var authUser: String
    public var authPassword: String

    public init(
        domains: [String], tenant: String = "", relays: [String], tls: DeliveryConfig.TLSMode = .required,
        authUser: String = "", authPassword: String = ""
    ) {
        self.domains = domains
        self.tenant = tenant
        self.relays = relays
        self.tls = tls
        self.authUser = authUser
        self.authPassword = authPassword
    }

    public func matches(domain: String, tenant: String) -> Bool {
        (self.tenant.isEmpty || self.tenant == tenant) && domains.contains { $0 == "*" || $0 == domain.lowercased() }
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        domains = try reader.stringArray("domains", default: ["*"]).map { $0.lowercased() }
        tenant = try reader.string("tenant", default: "")
        let relay = try reader.requiredString("relay")
        let failover = try reader.stringArray("failover", default: [])
        relays = [relay] + failover
        for (offset, entry) in relays.enumerated() where entry != "mx" && SocketAddressSpec(entry) == nil {
            throw reader.error(
                offset == 0 ? "relay" : "failover", "expected \"host:port\" or \"mx\", got \"\(entry)\"")
        }
        tls = try reader.choice("tls", default: DeliveryConfig.TLSMode.required)
        authUser = try reader.string("auth_user", default: "")
        authPassword = try reader.string("auth_password", default: "")
        try reader.finish()
    }
}
