import ArgumentParser
import Campaigns
import Foundation

/// `petrel contacts import|export|count`: the contacts of the campaign layer, in petrel.sqlite.
struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Import, export and count contacts.",
        subcommands: [Import.self, Export.self, Count.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import contacts from a CSV file (RFC 4180), upserting by email.",
            discussion: """
                The first row names the columns: email (required), first_name, last_name, tags (comma-separated), \
                status (subscribed, unsubscribed, bounced, complained); any other column becomes a custom field. \
                A contact that is no longer subscribed keeps its status. Each bad row is reported with its line \
                number and reason, and the good rows are kept. Exit status 1 when any row was bad.
                """)

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "Add every imported contact to this list (created when missing).")
        var list: String?
        @Flag(name: .long, help: "Print the summary as one JSON object.") var json = false
        @Argument(help: "CSV file.") var file: String

        func run() throws {
            let config = options.load()
            let database = try SuppressionSetup.database(config: config)
            let normalization = SuppressionSetup.normalization(config: config)
            let start = Date()
            let summary: ContactImporter.Summary
            do {
                summary = try ContactImporter.importFile(
                    file, database: database, normalization: normalization, list: list)
            } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
                throw ValidationError("cannot read \(file)")
            }
            let seconds = Date().timeIntervalSince(start)
            if json {
                let object: [String: Any] = [
                    "rows": summary.rows, "inserted": summary.inserted, "updated": summary.updated,
                    "duplicates": summary.duplicates,
                    "errors": summary.errors.map { ["line": $0.line, "reason": $0.reason] as [String: Any] },
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                for error in summary.errors { print(error.description) }
                print(
                    "\(summary.rows) rows: \(summary.inserted) new, \(summary.updated) updated, "
                        + "\(summary.duplicates) repeated in the file, \(summary.errors.count) bad"
                        + String(format: " (%.1f s, %.0f rows/s)", seconds, Double(summary.rows) / max(seconds, 1e-6)))
            }
            if !summary.errors.isEmpty { throw ExitCode(1) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write contacts to stdout as CSV or JSON lines.")

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "csv or jsonl.") var format = "csv"
        @Option(name: .long, help: "Only the members of this list.") var list: String?
        @Option(name: .long, help: "Only contacts matching this segment: a JSON file, or JSON text starting with {.")
        var segment: String?
        @Option(name: .long, help: "At most this many contacts (a preview).") var limit: Int?

        func run() throws {
            guard format == "csv" || format == "jsonl" else {
                throw ValidationError("--format must be csv or jsonl, got \(format)")
            }
            let config = options.load()
            let store = ContactStore(
                database: try SuppressionSetup.database(config: config),
                normalization: SuppressionSetup.normalization(config: config))
            let segment = try SegmentOption.load(segment)
            let write: (String) throws -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }
            if format == "csv" {
                try store.writeCSV(list: list, segment: segment, limit: limit, to: write)
            } else {
                try store.writeJSONLines(list: list, segment: segment, limit: limit, to: write)
            }
        }
    }

    struct Count: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count contacts (of one list).")

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "Only the members of this list.") var list: String?
        @Option(name: .long, help: "Only contacts matching this segment: a JSON file, or JSON text starting with {.")
        var segment: String?

        func run() throws {
            let parsed = try SegmentOption.load(segment)
            let config = options.load()
            let store = ContactStore(
                database: try SuppressionSetup.database(config: config),
                normalization: SuppressionSetup.normalization(config: config))
            print(try store.count(list: list, segment: parsed))
        }
    }
}

/// `--segment FILE|JSON`: a segment's condition tree (see `Segment`); errors name the member.
enum SegmentOption {
    static func load(_ argument: String?) throws -> Segment? {
        guard let argument else { return nil }
        var text = argument
        if !argument.hasPrefix("{") {
            guard let data = FileManager.default.contents(atPath: argument) else {
                throw ValidationError("--segment: cannot read \(argument)")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        do {
            return try Segment(json: text)
        } catch {
            throw ValidationError("--segment: \(error)")
        }
    }
}
