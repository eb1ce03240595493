import ArgumentParser
import Foundation
import MailMessage
import NIOCore
import Spool

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Inspect the queue.",
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queued messages (like mailq).")

        @OptionGroup var options: ConfigOption
        @Flag(name: .long, help: "One JSON object per line.") var json = false

        func run() throws {
            let config = options.load()
            let messages = try SpoolReader.scan(directory: config.spoolDirectory)
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
