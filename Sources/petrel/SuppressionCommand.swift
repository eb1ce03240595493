import ArgumentParser
import Campaigns
import Foundation
import Suppression

/// `petrel suppression add|remove|list|export|check`: the suppression list, offline or beside a running
/// server (same SQLite file; the server picks up additions within a second).
struct SuppressionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suppression",
        abstract: "Manage the suppression list: addresses that are never sent to.",
        subcommands: [Add.self, Remove.self, List.self, Export.self, Check.self]
    )

    static func open(_ options: ConfigOption) throws -> SuppressionSetup {
        let config = options.load()
        return try SuppressionSetup(
            config: config, database: SuppressionSetup.database(config: config), createKey: false)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suppress addresses (kind manual).")

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "Why, kept with each entry.") var reason = "added by operator"
        @Argument(help: "Addresses.") var addresses: [String]

        func run() throws {
            let store = try SuppressionCommand.open(options).store
            var failures = 0
            for address in addresses {
                guard SuppressionCommand.looksLikeAddress(address) else {
                    FileHandle.standardError.write(Data("petrel suppression add: \(address): not an address\n".utf8))
                    failures += 1
                    continue
                }
                let result = try store.add(
                    SuppressionEntry(address: address, kind: .manual, reason: reason, source: "cli"))
                print(
                    result.added
                        ? "suppressed \(result.entry.address)"
                        : "\(result.entry.address) already suppressed (\(result.entry.kind.rawValue))")
            }
            if failures > 0 { throw ExitCode(1) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove addresses from the list.")

        @OptionGroup var options: ConfigOption
        @Argument(help: "Addresses.") var addresses: [String]

        func run() throws {
            let store = try SuppressionCommand.open(options).store
            var missing = 0
            for address in addresses {
                if let entry = try store.remove(address) {
                    print("removed \(entry.address) (\(entry.kind.rawValue))")
                } else {
                    FileHandle.standardError.write(Data("petrel suppression remove: \(address): not listed\n".utf8))
                    missing += 1
                }
            }
            if missing > 0 { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List entries, oldest first.")

        @OptionGroup var options: ConfigOption
        @Flag(name: .long, help: "One JSON object per line.") var json = false
        @Option(
            name: .long, help: "Only entries of this kind: hard-bounce, soft-bounce, complaint, unsubscribe, manual.")
        var kind: String?
        @Option(name: .long, help: "At most this many entries.") var limit: Int?

        func run() throws {
            let store = try SuppressionCommand.open(options).store
            var wanted: SuppressionEntry.Kind?
            if let kind {
                guard let parsed = SuppressionEntry.Kind(rawValue: kind) else {
                    throw ValidationError(
                        "unknown kind \(kind); one of "
                            + SuppressionEntry.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                wanted = parsed
            }
            let entries = try store.entries(limit: limit, kind: wanted)
            if json {
                for entry in entries { print(SuppressionFormat.json(entry)) }
            } else {
                print(SuppressionFormat.table(entries), terminator: "")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the whole list to stdout as CSV (RFC 4180) or JSON lines.")

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "csv or jsonl.") var format = "csv"

        func run() throws {
            guard format == "csv" || format == "jsonl" else {
                throw ValidationError("--format must be csv or jsonl, got \(format)")
            }
            let store = try SuppressionCommand.open(options).store
            var buffer = format == "csv" ? "address,kind,reason,source,time,detail\r\n" : ""
            try store.forEachEntry { entry in
                buffer += format == "csv" ? SuppressionFormat.csv(entry) : SuppressionFormat.json(entry) + "\n"
                if buffer.utf8.count > 1 << 16 {
                    FileHandle.standardOutput.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
            FileHandle.standardOutput.write(Data(buffer.utf8))
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether addresses are suppressed (exit status 1 when any is).")

        @OptionGroup var options: ConfigOption
        @Argument(help: "Addresses.") var addresses: [String]

        func run() throws {
            let store = try SuppressionCommand.open(options).store
            var suppressed = 0
            for address in addresses {
                if let entry = try store.lookup(address) {
                    suppressed += 1
                    print("\(address): suppressed, \(SuppressionFormat.summary(entry))")
                } else {
                    print("\(address): not suppressed")
                }
            }
            if suppressed > 0 { throw ExitCode(1) }
        }
    }

    static func looksLikeAddress(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@"), at != text.startIndex, text.index(after: at) != text.endIndex else {
            return false
        }
        return !text.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r" })
    }
}

/// How entries are printed.
enum SuppressionFormat {
    /// RFC 3339 UTC time, e.g. 2026-11-25T18:11:51Z.
    static func time(_ date: Date) -> String { date.formatted(.iso8601) }

    static func summary(_ entry: SuppressionEntry) -> String {
        "\(entry.kind.rawValue) (\(entry.reason)) since \(time(entry.time)), source \(entry.source)"
    }

    static func json(_ entry: SuppressionEntry) -> String {
        let object: [String: Any] = [
            "address": entry.address, "kind": entry.kind.rawValue, "reason": entry.reason, "source": entry.source,
            "time": time(entry.time), "detail": entry.detail,
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func csv(_ entry: SuppressionEntry) -> String {
        [entry.address, entry.kind.rawValue, entry.reason, entry.source, time(entry.time), entry.detail]
            .map(CSVField.quoted).joined(separator: ",") + "\r\n"
    }

    static func table(_ entries: [SuppressionEntry]) -> String {
        guard !entries.isEmpty else { return "suppression list is empty\n" }
        var text = ""
        for entry in entries {
            text += "\(entry.address)  \(summary(entry))\n"
            if !entry.detail.isEmpty { text += "    \(entry.detail)\n" }
        }
        text += "-- \(entries.count) address\(entries.count == 1 ? "" : "es")\n"
        return text
    }
}
