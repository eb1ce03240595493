import Foundation

extension ShapingConfig {
    /// The built-in rules: exactly what conf/shaping.toml says (a test keeps
    /// the two equal).
    public static let builtIn = ShapingConfig(
        defaults: PathLimits(maxConnections: 10, maxMessagesPerConnection: 100),
        domains: [:],
        providers: [
            ProviderRule(
                name: "apple", mxSuffixes: ["icloud.com", "me.com", "mac.com"],
                limits: PathLimits(maxConnections: 5, maxMessagesPerConnection: 50),
                backoff: [BackoffRule(pattern: "rate limit", action: .throttle, duration: .seconds(1800))]),
            ProviderRule(
                name: "google", mxSuffixes: ["google.com", "googlemail.com"],
                limits: PathLimits(maxConnections: 20, maxMessagesPerConnection: 100),
                backoff: [
                    BackoffRule(pattern: "4.7.28", action: .suspend, duration: .seconds(1800)),
                    BackoffRule(pattern: "4.7.0 Try again later", action: .throttle, duration: .seconds(900)),
                ]),
            ProviderRule(
                name: "microsoft", mxSuffixes: ["protection.outlook.com", "outlook.com", "hotmail.com"],
                limits: PathLimits(maxConnections: 10, maxMessagesPerConnection: 50),
                backoff: [
                    BackoffRule(pattern: "4.7.650", action: .suspend, duration: .seconds(3600)),
                    BackoffRule(pattern: "4.7.500", action: .throttle, duration: .seconds(1800)),
                ]),
            ProviderRule(
                name: "yahoo", mxSuffixes: ["yahoodns.net"],
                limits: PathLimits(maxConnections: 10, maxMessagesPerConnection: 20),
                backoff: [
                    BackoffRule(pattern: "TSS04", action: .suspend, duration: .seconds(3600)),
                    BackoffRule(pattern: "TS03", action: .suspend, duration: .seconds(4 * 3600)),
                ]),
        ],
        backoff: [BackoffRule(pattern: "4.7.0 Too many connections", action: .throttle, duration: .seconds(600))],
        warmup: [
            (1, 50), (2, 100), (3, 500), (4, 1000), (5, 5000), (6, 10_000), (7, 20_000), (8, 50_000), (9, 100_000),
        ].map { WarmupStep(day: $0.0, limit: $0.1) })

    public static func load(path: String) throws(ConfigError) -> ShapingConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(source: path, path: "", message: "cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ text: String, source: String = "<string>") throws(ConfigError) -> ShapingConfig {
        let table: TOMLTable
        do {
            table = try TOMLParser.parse(text)
        } catch {
            throw ConfigError(source: source, path: "", message: error.message, line: error.line, column: error.column)
        }
        var root = ConfigReader(table: table, path: "", source: source)
        var section = try root.section("default")
        let defaults = try PathLimits(reading: &section)
        try section.finish()
        var domains: [String: PathLimits] = [:]
        var domainSection = try root.section("domain")
        for name in domainSection.keys {
            var reader = try domainSection.section(name)
            domains[name.lowercased()] = try PathLimits(reading: &reader)
            try reader.finish()
        }
        var providers: [ProviderRule] = []
        var providerSection = try root.section("provider")
        for name in providerSection.keys.sorted() {
            var reader = try providerSection.section(name)
            let suffixes = try reader.stringArray("mx_suffixes", default: [])
            if suffixes.isEmpty { throw reader.error("mx_suffixes", "a provider needs at least one MX suffix") }
            let limits = try PathLimits(reading: &reader)
            let backoff = try BackoffRule.readAll(from: &reader)
            try reader.finish()
            providers.append(ProviderRule(name: name, mxSuffixes: suffixes, limits: limits, backoff: backoff))
        }
        let backoff = try BackoffRule.readAll(from: &root)
        var warmup: [WarmupStep] = []
        for var reader in try root.tableArray("warmup") ?? [] {
            warmup.append(
                WarmupStep(day: try reader.integer("day", default: 1), limit: try reader.integer("limit", default: 1)))
            try reader.finish()
        }
        try root.finish()
        return ShapingConfig(
            defaults: defaults, domains: domains, providers: providers, backoff: backoff,
            warmup: warmup.sorted { $0.day < $1.day })
    }
}

extension PathLimits {
    init(reading reader: inout ConfigReader) throws(ConfigError) {
        self.init()
        if reader.contains("max_connections") {
            maxConnections = try reader.integer("max_connections", default: 1)
        }
        if reader.contains("max_messages_per_connection") {
            maxMessagesPerConnection = try reader.integer("max_messages_per_connection", default: 1)
        }
        messageRate = try reader.rate("message_rate")
        connectionRate = try reader.rate("connection_rate")
        if reader.contains("tls") {
            tls = try reader.choice("tls", default: DeliveryConfig.TLSMode.opportunistic)
        }
    }
}

extension BackoffRule {
    static func readAll(from reader: inout ConfigReader) throws(ConfigError) -> [BackoffRule] {
        var rules: [BackoffRule] = []
        for var rule in try reader.tableArray("backoff") ?? [] {
            let pattern = try rule.requiredString("pattern")
            let action: Action = try rule.choice("action", default: .suspend)
            let duration = try rule.duration("duration", default: .seconds(3600))
            try rule.finish()
            rules.append(BackoffRule(pattern: pattern, action: action, duration: duration))
        }
        return rules
    }
}

extension ConfigReader {
    mutating func rate(_ key: String) throws(ConfigError) -> Rate? {
        let text = try string(key, default: "")
        guard !text.isEmpty else { return nil }
        guard let rate = Rate(text) else {
            throw error(key, "expected a rate like \"100/s\" or \"3000/h\", got \"\(text)\"")
        }
        return rate
    }
}

extension ConfigReader {
    /// The keys of this table, in document order.
    var keys: [String] { Array(table.keys) }

    func contains(_ key: String) -> Bool { table[key] != nil }
}
