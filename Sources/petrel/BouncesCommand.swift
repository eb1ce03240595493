import ArgumentParser
import Bounces
import Foundation
import Suppression

struct BouncesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounces",
        abstract: "Bounce and feedback-loop processing.",
        subcommands: [BouncesImportCommand.self]
    )
}

/// `petrel bounces import PATH... [--json]`: reads .eml files, Maildir folders and mbox files.
///
/// Exit status: 0 when every path was read, 1 when some file could not be read (each is named on stderr and
/// the import carries on with the rest).
struct BouncesImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Parse bounces and feedback reports from files, Maildir folders or mbox files.",
        discussion: """
            A directory with cur/ or new/ is read as a Maildir; another directory is read recursively as a folder
            of message files. A file starting with "From " is read as an mbox, any other file as one message.
            With --json, one JSON object per (message, recipient) goes to stdout; messages that are not bounces
            print nothing, and nothing is changed. Without it, the results are applied to the suppression list
            under the [suppression] policy of --config, and a summary of reasons, hard/soft counts and
            suppressions is printed. Exit status 1 when a path could not be read.
            """
    )

    @OptionGroup var options: ConfigOption

    @Argument(help: "Message files, Maildir folders or mbox files.")
    var paths: [String]

    @Flag(name: .long, help: "Write one JSON object per (message, recipient).")
    var json = false

    func run() throws {
        var failures = 0
        var output = JSONLinesSink()
        var summary = BounceSummary()
        var applied = try json ? nil : SuppressionImportSink(recorder: SuppressionCommand.open(options).recorder)
        for path in paths {
            MessageSource.each(at: path) { source, result in
                switch result {
                case .failure(let error):
                    failures += 1
                    FileHandle.standardError.write(Data("petrel bounces import: \(source): \(error)\n".utf8))
                case .success(let bytes):
                    for record in BounceParser.parse(bytes) {
                        if json {
                            output.receive(record, source: source)
                        } else {
                            summary.receive(record, source: source)
                            applied?.receive(record, source: source)
                        }
                    }
                }
            }
        }
        if json {
            output.finish()
        } else {
            print((summary.lines + (applied?.lines ?? [])).joined(separator: "\n"))
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// Applies each record to the suppression list and counts what happened.
struct SuppressionImportSink: BounceResultSink {
    let recorder: SuppressionRecorder
    private(set) var suppressed = 0
    private(set) var alreadySuppressed = 0
    private(set) var softCounted = 0
    private(set) var ignored = 0
    private(set) var errors = 0

    init(recorder: SuppressionRecorder) { self.recorder = recorder }

    mutating func receive(_ record: BounceRecord, source: String) {
        do {
            switch try recorder.apply(record, source: source) {
            case .suppressed(_, let added): if added { suppressed += 1 } else { alreadySuppressed += 1 }
            case .softBounceCounted: softCounted += 1
            case .ignored: ignored += 1
            }
        } catch {
            errors += 1
            FileHandle.standardError.write(Data("petrel bounces import: \(source): suppression list: \(error)\n".utf8))
        }
    }

    mutating func finish() {}

    var lines: [String] {
        [
            "suppression list: \(suppressed) added, \(alreadySuppressed) already listed, "
                + "\(softCounted) soft bounces counted, \(ignored) not suppressing"
                + (errors > 0 ? ", \(errors) errors" : "")
        ]
    }
}

/// Writes each record as a JSON line on stdout, buffered.
struct JSONLinesSink: BounceResultSink {
    private var buffer = ""

    mutating func receive(_ record: BounceRecord, source: String) {
        buffer += BounceJSON.line(file: source, record: record)
        buffer += "\n"
        if buffer.utf8.count > 1 << 16 { flush() }
    }

    mutating func finish() { flush() }

    private mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }
}

/// Enumerates the messages under a command-line path: a file, an mbox's members, a Maildir's cur/ and new/.
enum MessageSource {
    enum ReadError: Error, CustomStringConvertible {
        case unreadable(String)
        case notFound
        case empty

        var description: String {
            switch self {
            case .unreadable(let reason): return "cannot read: \(reason)"
            case .notFound: return "no such file or directory"
            case .empty: return "empty file, not a message"
            }
        }
    }

    static func each(at path: String, _ body: (String, Result<[UInt8], ReadError>) -> Void) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            body(path, .failure(.notFound))
            return
        }
        if isDirectory.boolValue {
            for member in directoryMembers(path) { file(member, body) }
        } else {
            file(path, body)
        }
    }

    /// Maildir (cur/ then new/, RFC-less but de facto: maildir(5)) or, for another directory, its files
    /// recursively; hidden files and Maildir's tmp/ are skipped. Sorted for reproducible output.
    private static func directoryMembers(_ path: String) -> [String] {
        let manager = FileManager.default
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let maildirFolders = ["cur", "new"].filter { manager.fileExists(atPath: base + "/" + $0) }
        if !maildirFolders.isEmpty {
            return maildirFolders.flatMap { folder in
                ((try? manager.contentsOfDirectory(atPath: base + "/" + folder)) ?? [])
                    .filter { !$0.hasPrefix(".") }.sorted().map { base + "/" + folder + "/" + $0 }
            }
        }
        guard let enumerator = manager.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            guard !name.hasPrefix(".") else { continue }
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(base + "/" + relative)
            }
        }
        return files.sorted()
    }

    private static func file(_ path: String, _ body: (String, Result<[UInt8], ReadError>) -> Void) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            body(path, .failure(.unreadable("permission denied or not a regular file")))
            return
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            body(path, .failure(.unreadable("\(error)")))
            return
        }
        guard !bytes.isEmpty else {
            body(path, .failure(.empty))
            return
        }
        if MboxSplitter.isMbox(bytes) {
            // Members are named PATH#N (1-based position in the mbox); a one-message mbox is just PATH.
            let messages = MboxSplitter.split(bytes)
            for message in messages {
                body(messages.count == 1 ? path : "\(path)#\(message.index)", .success(message.bytes))
            }
        } else {
            body(path, .success(bytes))
        }
    }
}
