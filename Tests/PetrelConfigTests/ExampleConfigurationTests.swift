import Foundation
import PetrelConfig
import Testing

@Suite("conf/petrel.example.toml")
struct ExampleConfigurationTests {
    /// `conf/petrel.example.toml` of the repository this file is in.
    static let examplePath = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // PetrelConfigTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository
        .appendingPathComponent("conf/petrel.example.toml").path

    @Test func exampleEqualsDefaults() throws {
        let configuration = try PetrelConfiguration.load(path: Self.examplePath)
        #expect(configuration == PetrelConfiguration.defaults)
    }

    /// Every key the code reads is documented: with every documented key removed, nothing is left that the
    /// example does not show, and the file names only keys that exist (unknown keys would fail `load`).
    @Test func exampleDocumentsEverySection() throws {
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        let table = try TOMLParser.parse(text)
        #expect(
            Set(table.keys) == [
                "server", "log", "spool", "tls", "relay", "limits", "delivery", "listener", "bounces", "suppression",
                "http", "webhooks",
            ])
        #expect(table["http"]?.tableValue?.count == 5)
        #expect(table["webhooks"]?.tableValue?.count == 4)
        #expect(table["delivery"]?.tableValue?.count == 13)
        #expect(table["server"]?.tableValue?.count == 3)
        #expect(table["bounces"]?.tableValue?.count == 4)
        #expect(table["suppression"]?.tableValue?.count == 6)
        #expect(table["log"]?.tableValue?.count == 1)
        #expect(table["spool"]?.tableValue?.count == 3)
        #expect(table["tls"]?.tableValue?.count == 2)
        #expect(table["relay"]?.tableValue?.count == 2)
        #expect(table["limits"]?.tableValue?.count == 11)
        for listener in table["listener"]?.arrayValue ?? [] {
            #expect(listener.tableValue?.count == 6)
        }
        #expect(text.contains("# [[user]]\n# name = "))
    }

    @Test func emptyFileGivesDefaults() throws {
        #expect(try PetrelConfiguration.parse("") == .defaults)
        #expect(try PetrelConfiguration.parse("# nothing\n[server]\n[limits]\n") == .defaults)
    }

    @Test func defaultValues() {
        let defaults = PetrelConfiguration.defaults
        #expect(defaults.server.hostname == "")
        #expect(defaults.server.dataDirectory == "queue")
        #expect(defaults.server.shutdownGrace == .seconds(30))
        #expect(defaults.log.level == .info)
        #expect(defaults.spool.directory == "")
        #expect(defaults.spool.fsync)
        #expect(defaults.spool.segmentSize == 64 * 1024 * 1024)
        #expect(defaults.spoolDirectory == "queue/spool")
        #expect(defaults.tls == TLSConfig(certificate: "", privateKey: ""))
        #expect(defaults.relay.trustedNetworks.map(\.description) == ["127.0.0.0/8", "::1/128"])
        #expect(defaults.relay.localDomains.isEmpty)
        #expect(defaults.limits.maxCommandLine == 512)
        #expect(defaults.limits.maxTextLine == 1000)
        #expect(defaults.limits.maxMessageSize == 50 * 1024 * 1024)
        #expect(defaults.limits.maxRecipients == 1000)
        #expect(defaults.limits.maxConnections == 2000)
        #expect(defaults.limits.maxConnectionsPerIP == 200)
        #expect(defaults.limits.maxErrors == 10)
        #expect(defaults.limits.maxAuthFailures == 3)
        #expect(defaults.limits.commandTimeout == .seconds(300))
        #expect(defaults.limits.dataBlockTimeout == .seconds(180))
        #expect(defaults.limits.dataTimeout == .seconds(600))
        #expect(defaults.listeners.map(\.name) == ["relay", "submission"])
        #expect(defaults.listeners.map(\.address.description) == ["127.0.0.1:2525", "127.0.0.1:2587"])
        #expect(defaults.listeners.map(\.mode) == [.relay, .submission])
        #expect(defaults.listeners.allSatisfy { $0.tls == .starttls && !$0.requireTLS && !$0.allowPlaintextAuth })
        #expect(defaults.users.isEmpty)
    }

    @Test func loadNamesTheFileInErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-\(UUID().uuidString).toml")
            .path
        try "[limits]\nmax_recipients = \"many\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            throws: ConfigError(
                source: path, path: "limits.max_recipients", message: "expected an integer, got a string")
        ) {
            try PetrelConfiguration.load(path: path)
        }
    }

    @Test(arguments: [
        ("/nonexistent/petrel.toml", "cannot read the file: it does not exist"),
        ("/", "cannot read the file: it is a directory"),
    ])
    func unreadableFile(_ path: String, _ message: String) {
        #expect(throws: ConfigError(source: path, path: "", message: message)) {
            try PetrelConfiguration.load(path: path)
        }
    }

    @Test func invalidUTF8() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-\(UUID().uuidString).toml")
            .path
        try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ConfigError(source: path, path: "", message: "the file is not valid UTF-8")) {
            try PetrelConfiguration.load(path: path)
        }
    }
}

@Suite struct WebhooksConfigTests {
    @Test func readsAndChecksTheSection() throws {
        let config = try PetrelConfiguration.parse(
            "[webhooks]\nfirst_retry = \"500ms\"\nmax_retry = \"2m\"\nmax_attempts = 3\ntimeout = \"2s\"\n")
        #expect(
            config.webhooks
                == WebhooksConfig(
                    firstRetry: .milliseconds(500), maxRetry: .seconds(120), maxAttempts: 3, timeout: .seconds(2)))
        #expect(throws: ConfigError.self) { try PetrelConfiguration.parse("[webhooks]\nmax_attempts = 0\n") }
        #expect(throws: ConfigError.self) { try PetrelConfiguration.parse("[webhooks]\nretries = 3\n") }
    }
}
