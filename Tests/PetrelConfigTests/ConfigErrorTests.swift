import Foundation
import PetrelConfig
import Testing

@Suite("PetrelConfiguration: errors name the key")
struct ConfigErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var toml: String
        var path: String
        var message: String
        var testDescription: String { path.isEmpty ? message : path }
    }

    static let listener = "[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"\nmode = \"relay\"\n"
    static let user = "[[user]]\nname = \"u\"\npassword_hash = \"$x$y\"\n"

    static let unknownKeys: [Case] = [
        Case(toml: "colour = 1", path: "colour", message: "unknown key"),
        Case(toml: "[servr]", path: "servr", message: "unknown key (did you mean \"server\"?)"),
        Case(
            toml: "[server]\nhost_name = \"x\"", path: "server.host_name",
            message: "unknown key (did you mean \"hostname\"?)"),
        Case(
            toml: "[limits]\nmax_recipient = 100", path: "limits.max_recipient",
            message: "unknown key (did you mean \"max_recipients\"?)"),
        Case(toml: "[spool.extra]", path: "spool.extra", message: "unknown key"),
        Case(toml: "log.level = \"info\"\nlog.format = \"json\"", path: "log.format", message: "unknown key"),
        Case(toml: "[tls]\nkey = \"k\"", path: "tls.key", message: "unknown key"),
        Case(
            toml: "[relay]\n\"trusted networks\" = []", path: "relay.\"trusted networks\"",
            message: "unknown key (did you mean \"trusted_networks\"?)"),
        Case(
            toml: listener + "mod = \"relay\"", path: "listener[0].mod", message: "unknown key (did you mean \"mode\"?)"
        ),
        Case(toml: user + "password = \"hunter2\"", path: "user[0].password", message: "unknown key"),
    ]

    static let wrongTypes: [Case] = [
        Case(toml: "server = 1", path: "server", message: "expected a table, got an integer"),
        Case(toml: "[server]\nhostname = 1", path: "server.hostname", message: "expected a string, got an integer"),
        Case(
            toml: "[server]\ndata_directory = []", path: "server.data_directory",
            message: "expected a string, got an array"),
        Case(
            toml: "[server]\nshutdown_grace = true", path: "server.shutdown_grace",
            message: "expected a duration such as \"30s\" or an integer number of seconds, got a boolean"
        ),
        Case(toml: "log.level = 3", path: "log.level", message: "expected a string, got an integer"),
        Case(toml: "[spool]\nfsync = \"yes\"", path: "spool.fsync", message: "expected a boolean, got a string"),
        Case(
            toml: "[spool]\nsegment_size = 1.5", path: "spool.segment_size",
            message: "expected a size such as \"50MiB\" or an integer number of bytes, got a float"
        ),
        Case(toml: "[tls]\ncertificate = {}", path: "tls.certificate", message: "expected a string, got a table"),
        Case(
            toml: "[relay]\ntrusted_networks = \"127.0.0.1\"", path: "relay.trusted_networks",
            message: "expected an array of strings, got a string"
        ),
        Case(
            toml: "[relay]\nlocal_domains = [\"a.org\", 1]", path: "relay.local_domains[1]",
            message: "expected a string, got an integer"),
        Case(
            toml: "[limits]\nmax_recipients = \"many\"", path: "limits.max_recipients",
            message: "expected an integer, got a string"),
        Case(
            toml: "[limits]\nmax_errors = 1.0", path: "limits.max_errors", message: "expected an integer, got a float"),
        Case(
            toml: "[limits]\ncommand_timeout = 1979-05-27", path: "limits.command_timeout",
            message: "expected a duration such as \"30s\" or an integer number of seconds, got a local date"),
        Case(
            toml: "[listener]\nname = \"a\"", path: "listener",
            message: "expected an array of tables ([[listener]]), got a table"),
        Case(toml: "listener = [1]", path: "listener[0]", message: "expected a table, got an integer"),
        Case(
            toml: listener.replacingOccurrences(of: "\"relay\"", with: "1"), path: "listener[0].mode",
            message: "expected a string, got an integer"),
        Case(
            toml: listener + "require_tls = \"true\"", path: "listener[0].require_tls",
            message: "expected a boolean, got a string"),
        Case(
            toml: "[user]\nname = \"u\"", path: "user", message: "expected an array of tables ([[user]]), got a table"),
    ]

    static let invalidValues: [Case] = [
        Case(
            toml: "server.hostname = \"mail example\"", path: "server.hostname",
            message: "\"mail example\" is not a domain name such as \"mail.example.com\""),
        Case(
            toml: "server.hostname = \"mx.\\r\\nQUIT\"", path: "server.hostname",
            message: "\"mx.\r\nQUIT\" is not a domain name such as \"mail.example.com\""),
        Case(toml: "server.data_directory = \"\"", path: "server.data_directory", message: "must not be empty"),
        Case(
            toml: "server.shutdown_grace = 0", path: "server.shutdown_grace", message: "must be greater than 0, got 0"),
        Case(
            toml: "server.shutdown_grace = \"0s\"", path: "server.shutdown_grace",
            message: "must be greater than 0, got \"0s\""),
        Case(
            toml: "server.shutdown_grace = \"30\"", path: "server.shutdown_grace",
            message: "missing unit in \"30\" (use ms, s, m, h or d, or an integer number of seconds)"),
        Case(
            toml: "server.shutdown_grace = \"30 s\"", path: "server.shutdown_grace",
            message: "expected a duration such as \"30s\" or an integer number of seconds, got \"30 s\""),
        Case(
            toml: "server.shutdown_grace = \"3w\"", path: "server.shutdown_grace",
            message: "unknown unit \"w\" in \"3w\" (use ms, s, m, h or d)"),
        Case(
            toml: "server.shutdown_grace = \"-5s\"", path: "server.shutdown_grace",
            message: "expected a duration such as \"30s\" or an integer number of seconds, got \"-5s\""),
        Case(
            toml: "server.shutdown_grace = 9223372036854775807", path: "server.shutdown_grace",
            message: "duration 9223372036854775807 is too large"),
        Case(
            toml: "log.level = \"verbose\"", path: "log.level",
            message:
                "expected one of \"trace\", \"debug\", \"info\", \"notice\", \"warning\", \"error\", \"critical\", got \"verbose\""
        ),
        Case(toml: "spool.segment_size = 0", path: "spool.segment_size", message: "must be greater than 0, got 0"),
        Case(
            toml: "spool.segment_size = \"64mb\"", path: "spool.segment_size",
            message: "unknown unit \"mb\" in \"64mb\" (use B, KB, MB, GB, KiB, MiB or GiB)"),
        Case(
            toml: "spool.segment_size = \"99999999999GiB\"", path: "spool.segment_size",
            message: "size \"99999999999GiB\" is too large"),
        Case(
            toml: "tls.certificate = \"c.pem\"", path: "tls.private_key",
            message: "must be set when tls.certificate is set"),
        Case(
            toml: "tls.private_key = \"k.pem\"", path: "tls.certificate",
            message: "must be set when tls.private_key is set"),
        Case(
            toml: "relay.trusted_networks = [\"10.0.0.0/8\", \"10.0.0.0/33\"]", path: "relay.trusted_networks[1]",
            message: "\"10.0.0.0/33\" is not a network such as \"192.0.2.0/24\", \"2001:db8::/32\" or an address"),
        Case(
            toml: "relay.local_domains = [\"-bad.org\"]", path: "relay.local_domains[0]",
            message: "\"-bad.org\" is not a domain name"),
        Case(
            toml: "limits.max_command_line = 511", path: "limits.max_command_line",
            message:
                "must be at least 512, got 511 (RFC 5321 §4.5.3.1.4: a server must accept command lines of 512 octets)"),
        Case(
            toml: "limits.max_text_line = 998", path: "limits.max_text_line",
            message:
                "must be at least 1000, got 998 (RFC 5321 §4.5.3.1.6: a server must accept text lines of 1000 octets)"),
        Case(
            toml: "limits.max_recipients = 99", path: "limits.max_recipients",
            message:
                "must be at least 100, got 99 (RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per message)"
        ),
        Case(
            toml: "limits.max_message_size = -1", path: "limits.max_message_size",
            message: "must be greater than 0, got -1"),
        Case(
            toml: "limits.max_connections = 0", path: "limits.max_connections", message: "must be greater than 0, got 0"
        ),
        Case(
            toml: "limits.max_connections_per_ip = 0", path: "limits.max_connections_per_ip",
            message: "must be greater than 0, got 0"),
        Case(toml: "limits.max_errors = -3", path: "limits.max_errors", message: "must be greater than 0, got -3"),
        Case(
            toml: "limits.max_auth_failures = 0", path: "limits.max_auth_failures",
            message: "must be greater than 0, got 0"),
        Case(
            toml: "limits.command_timeout = \"0ms\"", path: "limits.command_timeout",
            message: "must be greater than 0, got \"0ms\""),
        Case(
            toml: "limits.data_block_timeout = -1", path: "limits.data_block_timeout",
            message: "must be greater than 0, got -1"),
        Case(
            toml: "limits.data_timeout = \"\"", path: "limits.data_timeout",
            message: "expected a duration such as \"30s\" or an integer number of seconds, got \"\""),
    ]

    static let listeners: [Case] = [
        Case(toml: "listener = []", path: "listener", message: "at least one listener is required"),
        Case(
            toml: "[[listener]]\naddress = \"127.0.0.1:25\"\nmode = \"relay\"", path: "listener[0].name",
            message: "missing (required)"),
        Case(toml: "[[listener]]\nname = \"\"", path: "listener[0].name", message: "must not be empty"),
        Case(
            toml: "[[listener]]\nname = \"a\"\nmode = \"relay\"", path: "listener[0].address",
            message: "missing (required)"),
        Case(
            toml: "[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:25\"", path: "listener[0].mode",
            message: "missing (required)"),
        Case(
            toml: listener + "[[listener]]\nname = \"b\"\naddress = \"localhost\"", path: "listener[1].address",
            message: "expected \"host:port\" such as \"127.0.0.1:2525\" or \"[::1]:2525\", got \"localhost\""),
        Case(
            toml: "[[listener]]\nname = \"a\"\naddress = \"::1:25\"", path: "listener[0].address",
            message: "expected \"host:port\" such as \"127.0.0.1:2525\" or \"[::1]:2525\", got \"::1:25\""),
        Case(
            toml: "[[listener]]\nname = \"a\"\naddress = \"127.0.0.1:0\"", path: "listener[0].address",
            message: "port must be between 1 and 65535, got 0"),
        Case(
            toml: "[[listener]]\nname = \"a\"\naddress = \"[::1]:65536\"", path: "listener[0].address",
            message: "port must be between 1 and 65535, got 65536"),
        Case(
            toml: "[[listener]]\nname = \"a\"\naddress = \"300.1.1.1:25\"", path: "listener[0].address",
            message: "expected \"host:port\" such as \"127.0.0.1:2525\" or \"[::1]:2525\", got \"300.1.1.1:25\""),
        Case(
            toml: listener.replacingOccurrences(of: "\"relay\"", with: "\"mx\""), path: "listener[0].mode",
            message: "expected one of \"relay\", \"submission\", \"inbound\", got \"mx\""),
        Case(
            toml: listener + "tls = \"implicit\"", path: "listener[0].tls",
            message: "expected one of \"starttls\", \"none\", got \"implicit\""),
        Case(
            toml: listener + "tls = \"none\"\nrequire_tls = true", path: "listener[0].require_tls",
            message: "cannot be true when tls is \"none\""),
        Case(
            toml: listener + listener, path: "listener[1].name",
            message: "duplicate listener name \"a\" (also listener[0])"),
        Case(
            toml: listener + listener.replacingOccurrences(of: "\"a\"", with: "\"b\""), path: "listener[1].address",
            message: "duplicate listener address \"127.0.0.1:25\" (also listener[0])"),
    ]

    static let users: [Case] = [
        Case(toml: "[[user]]\npassword_hash = \"$x\"", path: "user[0].name", message: "missing (required)"),
        Case(toml: "[[user]]\nname = \"u\"", path: "user[0].password_hash", message: "missing (required)"),
        Case(
            toml: "[[user]]\nname = \"u\"\npassword_hash = \"\"", path: "user[0].password_hash",
            message: "must not be empty"),
        Case(
            toml: "[[user]]\nname = \"u\"\npassword_hash = \"hunter2\"", path: "user[0].password_hash",
            message: "expected a hash printed by `petrel auth hash-password` (starting with \"$\"), not a password"),
        Case(toml: user + user, path: "user[1].name", message: "duplicate user \"u\" (also user[0])"),
    ]

    static let bounces: [Case] = [
        Case(
            toml: "[bounces]\ndomains = [\"bounce example\"]", path: "bounces.domains[0]",
            message: "\"bounce example\" is not a domain name"),
        Case(
            toml: "[bounces]\nverp_prefix = \"B+\"", path: "bounces.verp_prefix",
            message: "must be 1 to 16 of a-z, 0-9, '-', '_', '.', got \"B+\""),
        Case(toml: "[bounces]\nverp = \"yes\"", path: "bounces.verp", message: "expected a boolean, got a string"),
        Case(
            toml: "[suppression]\nsoft_bounce_limit = -1", path: "suppression.soft_bounce_limit",
            message: "must be at least 0, got -1 (0: soft bounces never suppress)"),
        Case(toml: "[suppression]\nfold_plus = true", path: "suppression.fold_plus", message: "unknown key"),
    ]

    static let syntax: [Case] = [
        Case(toml: "[limits]\nmax_errors = 3\nmax_errors = 4", path: "", message: "duplicate key limits.max_errors"),
        Case(toml: "[server\n", path: "", message: "expected ']' to close the table header, found end of line"),
    ]

    @Test(arguments: unknownKeys + wrongTypes + invalidValues + listeners + users + bounces + syntax)
    func rejected(_ test: Case) {
        #expect {
            try PetrelConfiguration.parse(test.toml, source: "petrel.toml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            #expect(error.source == "petrel.toml")
            #expect(error.path == test.path)
            #expect(error.message == test.message)
            return true
        }
    }

    @Test func syntaxErrorsHaveLineAndColumn() {
        #expect(
            throws: ConfigError(
                source: "petrel.toml", path: "", message: "duplicate key limits.max_errors", line: 3, column: 1)
        ) {
            try PetrelConfiguration.parse("[limits]\nmax_errors = 3\nmax_errors = 4", source: "petrel.toml")
        }
    }

    @Test func unknownKeyDescription() {
        #expect {
            try PetrelConfiguration.parse(Self.listener + "mod = 1", source: "petrel.toml")
        } throws: { error in
            "\(error)" == "petrel.toml: listener[0].mod: unknown key (did you mean \"mode\"?)"
        }
    }
}
