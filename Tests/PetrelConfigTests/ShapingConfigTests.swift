import Foundation
import PetrelConfig
import Testing

@Suite struct ShapingConfigTests {
    static let shapingPath = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("conf/shaping.toml").path

    /// The shipped file and the built-in rules are the same data.
    @Test func shippedFileEqualsBuiltIn() throws {
        #expect(try ShapingConfig.load(path: Self.shapingPath) == ShapingConfig.builtIn)
    }

    @Test(arguments: [
        ("gmail.com", ["alt1.gmail-smtp-in.l.google.com"], "google", 20),
        ("yahoo.com", ["mta5.am0.yahoodns.net"], "yahoo", 10),
        ("contoso.com", ["contoso-com.mail.protection.outlook.com"], "microsoft", 10),
        ("icloud.com", ["mx01.mail.icloud.com"], "apple", 5),
        ("example.org", ["mx.example.org"], nil, 10),
        ("notgoogle.com", ["mx.evilgoogle.com"], nil, 10),
    ])
    func providerMatchedByMXSuffix(domain: String, mx: [String], provider: String?, connections: Int) {
        let resolved = ShapingConfig.builtIn.resolve(domain: domain, mxHosts: mx)
        #expect(resolved.provider == provider)
        #expect(resolved.maxConnections == connections)
    }

    @Test func domainRulesOverrideProviderAndDefault() throws {
        let config = try ShapingConfig.parse(
            """
            [default]
            max_connections = 3
            message_rate = "100/s"
            [domain."Example.ORG"]
            max_connections = 1
            [provider.big]
            mx_suffixes = ["big.test"]
            max_messages_per_connection = 7
            [[provider.big.backoff]]
            pattern = "slow down"
            action = "throttle"
            duration = "10m"
            """)
        let resolved = config.resolve(domain: "example.org", mxHosts: ["mx1.big.test"])
        #expect(resolved.maxConnections == 1)
        #expect(resolved.maxMessagesPerConnection == 7)
        #expect(resolved.messageRate == Rate(count: 100, per: .seconds(1)))
        #expect(resolved.backoff.first?.matches("421 4.7.0 Please SLOW DOWN") == true)
    }

    @Test(arguments: [
        ("[default]\nmax_conections = 3", "default.max_conections"),
        ("[default]\nmessage_rate = \"fast\"", "default.message_rate"),
        ("[provider.x]\nmax_connections = 2", "provider.x.mx_suffixes"),
        ("[[backoff]]\naction = \"suspend\"", "backoff[0].pattern"),
        ("[[backoff]]\npattern = \"x\"\naction = \"explode\"", "backoff[0].action"),
    ])
    func errorsNameTheKey(text: String, path: String) {
        #expect(throws: ConfigError.self) { try ShapingConfig.parse(text) }
        do {
            _ = try ShapingConfig.parse(text)
        } catch {
            #expect(error.path == path)
        }
    }

    @Test func warmupSchedule() {
        let config = ShapingConfig.builtIn
        #expect(config.warmupLimit(day: 1) == 50)
        #expect(config.warmupLimit(day: 9) == 100_000)
        #expect(config.warmupLimit(day: 10) == nil)
    }
}
