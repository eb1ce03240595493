import ArgumentParser
import Foundation
import HTTPAPI

/// `petrel api-key create|list|revoke`: keys for the HTTP API, stored hashed in the database.
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key",
        abstract: "Manage HTTP API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a key and print it (only this once; only its hash is stored).")

        @OptionGroup var options: ConfigOption
        @Option(help: "A name to tell the key by.") var name: String
        @Option(
            help: """
                Comma-separated scopes: all, contacts, lists, segments, templates, campaigns, imports, \
                suppression, messages, automations, events, webhooks, metrics.
                """)
        var scopes: String = "all"

        func run() throws {
            let store = APIKeyStore(database: try SuppressionSetup.database(config: options.load()))
            do {
                let made = try store.create(
                    name: name, scopes: scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                print(made.secret)
            } catch let error as APIKeyError {
                throw ValidationError(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (name, prefix, scopes, created).")
        @OptionGroup var options: ConfigOption

        func run() throws {
            let store = APIKeyStore(database: try SuppressionSetup.database(config: options.load()))
            for key in try store.list() {
                print(
                    "\(key.name)\t\(key.prefix)…\t\(key.scopes.joined(separator: ","))\t"
                        + key.created.formatted(.iso8601))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The key's name.") var name: String

        func run() throws {
            let store = APIKeyStore(database: try SuppressionSetup.database(config: options.load()))
            guard try store.revoke(name: name) else { throw ValidationError("no key named \"\(name)\"") }
        }
    }
}
