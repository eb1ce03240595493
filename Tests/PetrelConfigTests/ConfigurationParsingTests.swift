import PetrelConfig
import Testing

@Suite("PetrelConfiguration: parsing")
struct ConfigurationParsingTests {
    @Test func everyKeySet() throws {
        let configuration = try PetrelConfiguration.parse(
            """
            [server]
            hostname = "mx.example.org"
            data_directory = "/var/lib/petrel/"
            shutdown_grace = 5

            [log]
            level = "debug"

            [spool]
            directory = "/srv/spool"
            fsync = false
            segment_size = 1_048_576

            [tls]
            certificate = "/etc/petrel/cert.pem"
            private_key = "/etc/petrel/key.pem"

            [relay]
            trusted_networks = ["10.0.0.0/8", "2001:db8::/32", "192.0.2.7"]
            local_domains = ["Example.ORG", "bounce.example.org"]

            [limits]
            max_command_line = 2048
            max_text_line = 1000
            max_message_size = "10MB"
            max_recipients = 100
            max_connections = 50
            max_connections_per_ip = 5
            max_errors = 3
            max_auth_failures = 1
            command_timeout = "90s"
            data_block_timeout = "2m"
            data_timeout = "1h"

            [[listener]]
            name = "mx"
            address = "[::]:25"
            mode = "inbound"
            tls = "none"

            [[user]]
            name = "app"
            password_hash = "$pbkdf2-sha256$i=210000$c2FsdA$aGFzaA"
            """,
            source: "test.toml"
        )
        let expected = PetrelConfiguration(
            server: ServerConfig(
                hostname: "mx.example.org", dataDirectory: "/var/lib/petrel/", shutdownGrace: .seconds(5)),
            log: LogConfig(level: .debug),
            spool: SpoolConfig(directory: "/srv/spool", fsync: false, segmentSize: 1_048_576),
            tls: TLSConfig(certificate: "/etc/petrel/cert.pem", privateKey: "/etc/petrel/key.pem"),
            relay: RelayConfig(
                trustedNetworks: [CIDR("10.0.0.0/8")!, CIDR("2001:db8::/32")!, CIDR("192.0.2.7/32")!],
                localDomains: ["example.org", "bounce.example.org"]
            ),
            limits: LimitsConfig(
                maxCommandLine: 2048,
                maxTextLine: 1000,
                maxMessageSize: 10_000_000,
                maxRecipients: 100,
                maxConnections: 50,
                maxConnectionsPerIP: 5,
                maxErrors: 3,
                maxAuthFailures: 1,
                commandTimeout: .seconds(90),
                dataBlockTimeout: .seconds(120),
                dataTimeout: .seconds(3600)
            ),
            listeners: [
                ListenerConfig(
                    name: "mx",
                    address: SocketAddressSpec(host: "::", port: 25),
                    mode: .inbound,
                    tls: .none,
                    requireTLS: false,
                    allowPlaintextAuth: false
                )
            ],
            users: [UserConfig(name: "app", passwordHash: "$pbkdf2-sha256$i=210000$c2FsdA$aGFzaA")]
        )
        #expect(configuration == expected)
        #expect(configuration.spoolDirectory == "/srv/spool")
        #expect(configuration.server.effectiveHostname == "mx.example.org")
    }

    @Test func omittedKeysTakeDefaults() throws {
        let configuration = try PetrelConfiguration.parse(
            "[limits]\nmax_errors = 4\n[server]\ndata_directory = \"/d/\"")
        var expected = PetrelConfiguration.defaults
        expected.limits.maxErrors = 4
        expected.server.dataDirectory = "/d/"
        #expect(configuration == expected)
        #expect(configuration.spoolDirectory == "/d/spool")
    }

    @Test func listenersReplaceTheDefaults() throws {
        let configuration = try PetrelConfiguration.parse(
            """
            [[listener]]
            name = "submission"
            address = "0.0.0.0:587"
            mode = "submission"
            require_tls = true

            [[listener]]
            name = "loopback"
            address = "localhost:2525"
            mode = "relay"
            allow_plaintext_auth = true
            """
        )
        #expect(configuration.listeners.map(\.name) == ["submission", "loopback"])
        #expect(configuration.listeners[0].address == SocketAddressSpec(host: "0.0.0.0", port: 587))
        #expect(configuration.listeners[0].tls == .starttls)
        #expect(configuration.listeners[0].requireTLS)
        #expect(configuration.listeners[1].address == SocketAddressSpec(host: "localhost", port: 2525))
        #expect(configuration.listeners[1].allowPlaintextAuth)
    }

    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)),
        ("30s", .seconds(30)),
        ("5m", .seconds(300)),
        ("2h", .seconds(7200)),
        ("5d", .seconds(432_000)),
    ])
    func durations(_ text: String, _ expected: Duration) throws {
        let configuration = try PetrelConfiguration.parse("[limits]\ndata_timeout = \"\(text)\"")
        #expect(configuration.limits.dataTimeout == expected)
    }

    @Test func durationAsIntegerSeconds() throws {
        let configuration = try PetrelConfiguration.parse("[server]\nshutdown_grace = 45")
        #expect(configuration.server.shutdownGrace == .seconds(45))
    }

    @Test(arguments: [
        ("\"512B\"", 512),
        ("\"64KB\"", 64_000),
        ("\"64KiB\"", 65_536),
        ("\"50MB\"", 50_000_000),
        ("\"50MiB\"", 52_428_800),
        ("\"2GB\"", 2_000_000_000),
        ("\"2GiB\"", 2_147_483_648),
        ("\"1000\"", 1000),
        ("1234", 1234),
    ])
    func sizes(_ toml: String, _ expected: Int) throws {
        let configuration = try PetrelConfiguration.parse("[limits]\nmax_message_size = \(toml)")
        #expect(configuration.limits.maxMessageSize == expected)
    }

    @Test(arguments: LogLevel.allCases)
    func logLevels(_ level: LogLevel) throws {
        #expect(try PetrelConfiguration.parse("log.level = \"\(level.rawValue)\"").log.level == level)
    }

    @Test func logLevelsAreOrdered() {
        #expect(LogLevel.trace < .debug && LogLevel.error < .critical)
        #expect(LogLevel.allCases.sorted() == LogLevel.allCases)
    }

    @Test func effectiveHostnameFallsBackToTheSystem() {
        var server = ServerConfig.defaults
        #expect(server.effectiveHostname(system: "box.local") == "box.local")
        #expect(server.effectiveHostname(system: "") == "localhost")
        #expect(!server.effectiveHostname.isEmpty)
        server.hostname = "mx.example.org"
        #expect(server.effectiveHostname(system: "box.local") == "mx.example.org")
    }

    @Test func relayHelpers() throws {
        let relay = try PetrelConfiguration.parse("relay.local_domains = [\"Example.org\"]").relay
        #expect(relay.isLocal(domain: "EXAMPLE.ORG."))
        #expect(!relay.isLocal(domain: "example.com"))
        #expect(relay.isTrusted("127.0.0.1"))
        #expect(relay.isTrusted("::ffff:127.1.2.3"))
        #expect(!relay.isTrusted("192.0.2.1"))
    }

    @Test func bouncesAndSuppression() throws {
        let configuration = try PetrelConfiguration.parse(
            """
            [bounces]
            domains = ["Bounce.Example.org"]
            verp = false
            verp_prefix = "rt"
            verp_key_file = "/etc/petrel/verp.key"
            [suppression]
            hard_bounce = false
            soft_bounce_limit = 0
            soft_bounce_window = "30d"
            complaint = false
            fold_case = false
            fold_plus_tags = true
            """)
        #expect(
            configuration.bounces
                == BouncesConfig(
                    domains: ["bounce.example.org"], verp: false, verpPrefix: "rt", verpKeyFile: "/etc/petrel/verp.key")
        )
        #expect(configuration.bounces.isBounceDomain("BOUNCE.example.org."))
        #expect(!configuration.bounces.isBounceDomain("example.org"))
        #expect(
            configuration.suppression
                == SuppressionConfig(
                    hardBounce: false, softBounceLimit: 0, softBounceWindow: .seconds(30 * 86_400), complaint: false,
                    foldCase: false, foldPlusTags: true))
    }

    @Test func errorDescriptions() {
        let typeError = ConfigError(
            source: "petrel.toml",
            path: "limits.max_recipients",
            message: "expected an integer, got a string"
        )
        #expect(typeError.description == "petrel.toml: limits.max_recipients: expected an integer, got a string")
        let syntax = ConfigError(source: "petrel.toml", path: "", message: "duplicate key a", line: 3, column: 1)
        #expect(syntax.description == "petrel.toml:3:1: duplicate key a")
    }
}
