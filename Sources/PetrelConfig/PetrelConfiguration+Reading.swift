extension PetrelConfiguration {
    /// Reads every section of the root table; keys the file leaves out take their defaults.
    init(reading root: inout ConfigReader) throws(ConfigError) {
        var section = try root.section("server")
        server = try ServerConfig(reading: &section)
        section = try root.section("log")
        log = try LogConfig(reading: &section)
        section = try root.section("spool")
        spool = try SpoolConfig(reading: &section)
        section = try root.section("tls")
        tls = try TLSConfig(reading: &section)
        section = try root.section("relay")
        relay = try RelayConfig(reading: &section)
        section = try root.section("limits")
        limits = try LimitsConfig(reading: &section)
        section = try root.section("delivery")
        delivery = try DeliveryConfig(reading: &section)

        listeners = ListenerConfig.defaults
        if let readers = try root.tableArray("listener") {
            guard !readers.isEmpty else { throw root.error("listener", "at least one listener is required") }
            listeners = []
            for var reader in readers {
                listeners.append(try ListenerConfig(reading: &reader))
            }
        }
        users = []
        for var reader in try root.tableArray("user") ?? [] {
            users.append(try UserConfig(reading: &reader))
        }
        for var reader in try root.tableArray("source") ?? [] {
            sources.append(try SourceConfig(reading: &reader))
        }
        for var reader in try root.tableArray("pool") ?? [] {
            pools.append(try PoolConfig(reading: &reader))
        }
        for var reader in try root.tableArray("route") ?? [] {
            routes.append(try RouteConfig(reading: &reader))
        }
        var dkimSection = try root.section("dkim")
        dkim = try DKIMConfig(reading: &dkimSection)
        section = try root.section("bounces")
        bounces = try BouncesConfig(reading: &section)
        section = try root.section("suppression")
        suppression = try SuppressionConfig(reading: &section)
        section = try root.section("http")
        http = try HTTPConfig(reading: &section)
        section = try root.section("webhooks")
        webhooks = try WebhooksConfig(reading: &section)
        var tenants = try root.section("tenant_pools")
        for name in tenants.keys {
            tenantPools[name] = try tenants.string(name, default: "")
        }
        try tenants.finish()
        var campaigns = try root.section("campaign_pools")
        for name in campaigns.keys {
            campaignPools[name] = try campaigns.string(name, default: "")
        }
        try campaigns.finish()
    }

    /// Rules across entries: listener names and addresses, and user names, are unique.
    func validate(source: String) throws(ConfigError) {
        for (offset, listener) in listeners.enumerated() {
            if let earlier = listeners[..<offset].firstIndex(where: { $0.name == listener.name }) {
                throw ConfigError(
                    source: source,
                    path: "listener[\(offset)].name",
                    message: "duplicate listener name \"\(listener.name)\" (also listener[\(earlier)])"
                )
            }
            if let earlier = listeners[..<offset].firstIndex(where: { $0.address == listener.address }) {
                throw ConfigError(
                    source: source,
                    path: "listener[\(offset)].address",
                    message: "duplicate listener address \"\(listener.address)\" (also listener[\(earlier)])"
                )
            }
        }
        let sourceNames = Set(sources.map(\.name))
        for (offset, pool) in pools.enumerated() {
            for (entry, member) in pool.sources.enumerated() where !sourceNames.contains(member.source) {
                throw ConfigError(
                    source: source, path: "pool[\(offset)].sources[\(entry)]",
                    message: "no [[source]] named \"\(member.source)\"")
            }
        }
        for (tenant, pool) in tenantPools where !pools.contains(where: { $0.name == pool }) {
            throw ConfigError(source: source, path: "tenant_pools.\(tenant)", message: "no [[pool]] named \"\(pool)\"")
        }
        for (campaign, pool) in campaignPools where !pools.contains(where: { $0.name == pool }) {
            throw ConfigError(
                source: source, path: "campaign_pools.\(campaign)", message: "no [[pool]] named \"\(pool)\"")
        }
        for (offset, user) in users.enumerated() {
            if let earlier = users[..<offset].firstIndex(where: { $0.name == user.name }) {
                throw ConfigError(
                    source: source,
                    path: "user[\(offset)].name",
                    message: "duplicate user \"\(user.name)\" (also user[\(earlier)])"
                )
            }
        }
    }
}
