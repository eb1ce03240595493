import Delivery
import Foundation
import Logging
import NIOCore
import NIOPosix
import Queue
import ServiceLifecycle
import Spool

/// The operator's line into the running server: a Unix socket under the
/// data directory speaking one command per line, one reply line each
/// ("OK …" or "ERR …"). `petrel queue flush|suspend|resume|delete|bounce`
/// use it.
struct ControlService: Service {
    let path: String
    let manager: QueueManager
    let spool: Spool
    let reporter: DeliveryReporter
    let suspendedFile: String
    let testClock: ManualQueueClock?
    let group: any EventLoopGroup
    let logger: Logger

    static func socketPath(dataDirectory: String) -> String {
        (dataDirectory as NSString).appendingPathComponent("control.sock")
    }

    func run() async throws {
        unlink(path)
        let server = try await ServerBootstrap(group: group)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        chmod(path, 0o600)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        unlink(path)
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var pending = ""
            for try await var chunk in inbound {
                pending += chunk.readString(length: chunk.readableBytes) ?? ""
                while let newline = pending.firstIndex(of: "\n") {
                    let line = pending[..<newline].trimmingCharacters(in: .whitespacesAndNewlines)
                    pending = String(pending[pending.index(after: newline)...])
                    let reply = await handle(line)
                    try await outbound.write(ByteBuffer(string: reply + "\n"))
                }
            }
        }
    }

    func handle(_ line: String) async -> String {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first?.uppercased() else { return "ERR empty command" }
        let argument = words.count > 1 ? words[1] : nil
        switch verb {
        case "FLUSH":
            let count = await manager.flush(domain: argument)
            logger.notice("queue flushed", metadata: ["domain": "\(argument ?? "all")", "items": "\(count)"])
            return "OK \(count)"
        case "SUSPEND", "RESUME":
            guard let domain = argument?.lowercased() else { return "ERR \(verb) needs a domain" }
            if verb == "SUSPEND" { await manager.suspend(domain: domain) } else { await manager.resume(domain: domain) }
            do {
                try SuspendedDomains.save(await manager.suspended, to: suspendedFile)
            } catch {
                return "ERR could not save \(suspendedFile): \(error)"
            }
            logger.notice("domain \(verb == "SUSPEND" ? "suspended" : "resumed")", metadata: ["domain": "\(domain)"])
            return "OK"
        case "DELETE", "BOUNCE":
            guard let text = argument, let id = QueueID(text) else { return "ERR \(verb) needs a queue id" }
            guard let message = spool.message(id) else { return "ERR no message \(text)" }
            _ = await manager.forget(id)
            if verb == "BOUNCE" {
                let pending = message.envelope.recipients.enumerated().filter {
                    $0.element.state == .pending || $0.element.state == .deferred
                }
                let outcome = RecipientOutcome(
                    kind: .permanent, code: 0, status: "5.0.0", text: "returned to sender by the postmaster")
                for (index, _) in pending {
                    try? await spool.setRecipientState(id, recipient: index, to: .bounced)
                }
                await reporter.failed(message, recipients: pending.map { ($0.offset, outcome) }, expired: false)
            }
            do {
                try await spool.remove(id)
            } catch {
                return "ERR \(error)"
            }
            logger.notice(
                "message \(verb == "BOUNCE" ? "bounced" : "deleted") by the operator", metadata: ["id": "\(id)"])
            return "OK"
        case "CLOCK":
            // Test clock only: "CLOCK ADVANCE <seconds>".
            guard let testClock else { return "ERR no test clock (start with PETREL_TEST_CLOCK=1)" }
            guard argument?.uppercased() == "ADVANCE", words.count == 3, let seconds = Double(words[2]) else {
                return "ERR usage: CLOCK ADVANCE <seconds>"
            }
            testClock.advance(by: .milliseconds(Int64(seconds * 1000)))
            await manager.wake()
            return "OK \(testClock.now().timeIntervalSince1970)"
        case "SITES":
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            guard let data = try? encoder.encode(await manager.siteSummary()) else { return "ERR encoding" }
            return "OK " + String(decoding: data, as: UTF8.self)
        case "STATUS":
            let counts = await manager.counts
            return "OK scheduled=\(counts.scheduled) ready=\(counts.ready) inflight=\(counts.inFlight)"
        default:
            return "ERR unknown command \(verb)"
        }
    }
}
