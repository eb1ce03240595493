import Foundation

/// Everything `petrel serve` is configured with, read from a TOML file (see `conf/petrel.example.toml`, which
/// documents every key and its default).
///
/// Each section's defaults are defined once, as its `defaults`; a file that omits a key gets that default.
/// Unknown keys, values of the wrong type and values out of range are errors that name the key.
public struct PetrelConfiguration: Sendable, Equatable {
    public var server: ServerConfig
    public var log: LogConfig
    public var spool: SpoolConfig
    public var tls: TLSConfig
    public var relay: RelayConfig
    public var limits: LimitsConfig
    public var delivery: DeliveryConfig
    /// The listeners of the file, or `ListenerConfig.defaults` when it defines none.
    public var listeners: [ListenerConfig]
    public var users: [UserConfig]
    /// Egress sources, pools and upstream routes (none by default: one
    /// implicit source, direct MX delivery).
    public var sources: [SourceConfig] = []
    public var pools: [PoolConfig] = []
    public var routes: [RouteConfig] = []
    /// DKIM signing at acceptance; no domains: nothing is signed.
    public var dkim: DKIMConfig = .defaults
    /// Bounce domains and VERP; no domains: incoming mail is never bounce mail.
    public var bounces: BouncesConfig = .defaults
    /// When bounces and complaints suppress, and how addresses compare.
    public var suppression: SuppressionConfig = .defaults
    /// The HTTP API and tracking server.
    public var http: HTTPConfig = .defaults
    public var webhooks: WebhooksConfig = .defaults
    /// Tenant → pool; mail of other tenants uses the pool named "default"
    /// when there is one.
    public var tenantPools: [String: String] = [:]
    /// Campaign → pool; takes precedence over the tenant's pool.
    public var campaignPools: [String: String] = [:]

    public init(
        server: ServerConfig,
        log: LogConfig,
        spool: SpoolConfig,
        tls: TLSConfig,
        relay: RelayConfig,
        limits: LimitsConfig,
        delivery: DeliveryConfig = .defaults,
        listeners: [ListenerConfig],
        users: [UserConfig]
    ) {
        self.server = server
        self.log = log
        self.spool = spool
        self.tls = tls
        self.relay = relay
        self.limits = limits
        self.delivery = delivery
        self.listeners = listeners
        self.users = users
    }

    /// The configuration without a file: exactly what `conf/petrel.example.toml` documents.
    public static let defaults = PetrelConfiguration(
        server: .defaults,
        log: .defaults,
        spool: .defaults,
        tls: .defaults,
        relay: .defaults,
        limits: .defaults,
        delivery: .defaults,
        listeners: ListenerConfig.defaults,
        users: []
    )

    /// The spool directory, resolved against the data directory.
    public var spoolDirectory: String { spool.resolvedDirectory(dataDirectory: server.dataDirectory) }

    /// Reads and parses a configuration file; errors name `path` as their source.
    public static func load(path: String) throws(ConfigError) -> PetrelConfiguration {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(source: path, path: "", message: "cannot read the file: it does not exist")
        }
        guard !isDirectory.boolValue else {
            throw ConfigError(source: path, path: "", message: "cannot read the file: it is a directory")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(source: path, path: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(source: path, path: "", message: "the file is not valid UTF-8")
        }
        return try parse(text, source: path)
    }

    /// Parses the text of a configuration file; `source` names it in errors.
    public static func parse(_ text: String, source: String = "<string>") throws(ConfigError) -> PetrelConfiguration {
        let table: TOMLTable
        do {
            table = try TOMLParser.parse(text)
        } catch {
            throw ConfigError(source: source, syntax: error)
        }
        var root = ConfigReader(table: table, path: "", source: source)
        let configuration = try PetrelConfiguration(reading: &root)
        try root.finish()
        try configuration.validate(source: source)
        return configuration
    }
}
