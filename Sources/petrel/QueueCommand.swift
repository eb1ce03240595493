import ArgumentParser
import Foundation
import MailMessage
import NIOCore
import Spool
import Storage

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspect the queue.",
        subcommands: [List.self, Show.self, Log.self, Flush.self, Suspend.self, Resume.self, Delete.self, Bounce.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queued messages (like mailq).")

        @OptionGroup var options: ConfigOption
        @Flag(name: .long, help: "One JSON object per line.") var json = false
        @Flag(name: .long, help: "Group by destination domain: messages, recipients, oldest, suspended.")
        var byDomain = false
        @Flag(
            name: .long,
            help: "Group by MX site (asks the running server, which knows the sites from its MX lookups).")
        var bySite = false

        func run() throws {
            let config = options.load()
            if bySite {
                guard let reply = ControlClient.send("SITES", dataDirectory: config.server.dataDirectory) else {
                    throw ValidationError("no running server: sites are known only to `petrel serve` (its MX lookups)")
                }
                guard reply.hasPrefix("OK ") else { throw ValidationError("server: \(reply)") }
                print(try QueueFormatter.bySite(json: String(reply.dropFirst(3)), asJSONLines: json), terminator: "")
                return
            }
            let messages = try SpoolReader.scan(directory: config.spoolDirectory)
            if byDomain {
                let suspended = SuspendedDomains.load(
                    (config.server.dataDirectory as NSString).appendingPathComponent("suspended-domains"))
                print(QueueFormatter.byDomain(messages, suspended: suspended, json: json), terminator: "")
                return
            }
            if json {
                for message in messages { print(QueueFormatter.json(message)) }
            } else {
                print(QueueFormatter.table(messages), terminator: "")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one message: envelope, recipients with their state, headers.")

        @OptionGroup var options: ConfigOption
        @Argument(help: "Queue id.") var id: String
        @Flag(name: .long, help: "Print the whole stored message, exactly as stored, instead.") var raw = false

        func run() throws {
            let config = options.load()
            guard let queueID = QueueID(id) else { throw ValidationError("not a queue id: \(id)") }
            let messages = try SpoolReader.scan(directory: config.spoolDirectory)
            guard let message = messages.first(where: { $0.id == queueID }),
                var body = try SpoolReader.readBody(directory: config.spoolDirectory, id: queueID)
            else {
                throw ValidationError("no message \(id) in the queue")
            }
            if raw {
                FileHandle.standardOutput.write(Data(body.readBytes(length: body.readableBytes) ?? []))
                return
            }
            print(QueueFormatter.details(message))
            print("")
            let end = HeaderBlock.end(of: body) ?? body.readableBytes
            let headers = body.getString(at: body.readerIndex, length: end) ?? ""
            print(headers, terminator: "")
        }
    }
}

/// Commands that act on the running server through its control socket.
struct ControlCommand {
    static func send(_ line: String, config: ConfigOption) throws -> String {
        let configuration = config.load()
        guard let reply = ControlClient.send(line, dataDirectory: configuration.server.dataDirectory) else {
            throw ValidationError(
                "petrel serve is not running (no control socket in \(configuration.server.dataDirectory))")
        }
        guard reply.hasPrefix("OK") else { throw ValidationError(String(reply.dropFirst(4))) }
        return reply
    }
}

extension QueueCommand {
    struct Flush: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retry deferred mail now (of one domain, or all).")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Destination domain.") var domain: String?

        func run() throws {
            let reply = try ControlCommand.send("FLUSH" + (domain.map { " \($0)" } ?? ""), config: options)
            print("flushed \(reply.dropFirst(3)) queued deliveries")
        }
    }

    struct Suspend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop delivering to a domain (kept across restarts).")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Destination domain.") var domain: String

        func run() throws { try SuspendToggle.apply(suspend: true, domain: domain, options: options) }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deliver to a suspended domain again.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Destination domain.") var domain: String

        func run() throws { try SuspendToggle.apply(suspend: false, domain: domain, options: options) }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a message without notice.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Queue id.") var id: String

        func run() throws {
            _ = try ControlCommand.send("DELETE \(id)", config: options)
            print("deleted \(id)")
        }
    }

    struct Bounce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Return a message to its sender with a failure notice.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Queue id.") var id: String

        func run() throws {
            _ = try ControlCommand.send("BOUNCE \(id)", config: options)
            print("bounced \(id)")
        }
    }
}

extension QueueCommand {
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the delivery log (one JSON object per line), of one message or the latest entries.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "Queue id.") var id: String?
        @Option(help: "Entries to show without an id.") var limit = 50

        func run() async throws {
            let config = options.load()
            let path = (config.server.dataDirectory as NSString).appendingPathComponent("petrel.sqlite")
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no delivery log at \(path)")
            }
            let log = DeliveryLog(database: try PetrelDatabase(path: path))
            let entries: [DeliveryLogEntry]
            if let id {
                entries = try await log.entries(queueID: id)
            } else {
                entries = try await log.recent(limit: limit)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            for entry in entries {
                print(String(decoding: try encoder.encode(entry), as: UTF8.self))
            }
        }
    }
}

/// Suspend/resume works with or without a running server: the list of
/// suspended domains is a file the server reads at start.
enum SuspendToggle {
    static func apply(suspend: Bool, domain: String, options: ConfigOption) throws {
        let config = options.load()
        let domain = domain.lowercased()
        if let reply = ControlClient.send(
            "\(suspend ? "SUSPEND" : "RESUME") \(domain)", dataDirectory: config.server.dataDirectory)
        {
            guard reply.hasPrefix("OK") else { throw ValidationError(String(reply.dropFirst(4))) }
        } else {
            let file = (config.server.dataDirectory as NSString).appendingPathComponent("suspended-domains")
            var domains = SuspendedDomains.load(file)
            if suspend { domains.insert(domain) } else { domains.remove(domain) }
            try FileManager.default.createDirectory(
                atPath: config.server.dataDirectory, withIntermediateDirectories: true)
            try SuspendedDomains.save(domains, to: file)
        }
        print("\(domain) \(suspend ? "suspended" : "resumed")")
    }
}
