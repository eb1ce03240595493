import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOPosix
import SMTPCore

@testable import SMTPServer

/// Keeps accepted messages in memory and acknowledges at once.
final class MemorySink: MessageSink {
    private let stored = NIOLockedValueBox<[AcceptedMessage]>([])
    private let counter = NIOLockedValueBox(0)
    let failure: (any Error)?

    init(failure: (any Error)? = nil) { self.failure = failure }

    var messages: [AcceptedMessage] { stored.withLockedValue { $0 } }

    func makeQueueID() -> String {
        counter.withLockedValue { value in
            value += 1
            return "Q\(value)"
        }
    }

    func accept(_ message: AcceptedMessage, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
        if let failure {
            completion(.failure(failure))
            return
        }
        stored.withLockedValue { $0.append(message) }
        completion(.success(()))
    }
}

struct FixedAuthenticator: Authenticator {
    var users: [String: String] = ["alice": "secret"]

    func authenticate(user: String, password: [UInt8]) -> Bool {
        users[user].map { Array($0.utf8) == password } ?? false
    }
}

func testSettings(
    trusted: Bool = true, localDomains: Set<String> = ["bounce.example.org"],
    configure: (inout SMTPLimits) -> Void = { _ in }
) -> ServerSettings {
    var limits = SMTPLimits()
    configure(&limits)
    return ServerSettings(
        hostname: "mx.test", limits: limits, isTrustedClient: { _ in trusted },
        isLocalDomain: { localDomains.contains($0) })
}

/// A server handler on an EmbeddedChannel: write client bytes, read the
/// server's replies.
final class HandlerHarness {
    let channel: EmbeddedChannel
    let sink: MemorySink
    static let pool = NIOThreadPool(numberOfThreads: 1)

    init(
        settings: ServerSettings = testSettings(),
        listener: ListenerSettings = ListenerSettings(name: "test", host: "127.0.0.1", port: 25, mode: .relay),
        sink: MemorySink = MemorySink()
    ) throws {
        self.sink = sink
        channel = EmbeddedChannel()
        let deps = SMTPServerHandler.Dependencies(
            settings: settings, listener: listener, tlsContext: nil, sink: sink, authenticator: FixedAuthenticator(),
            threadPool: Self.pool,
            registry: ConnectionRegistry(maxConnections: 10, maxConnectionsPerIP: 10),
            logger: Logger(label: "test"))
        try channel.pipeline.syncOperations.addHandler(SMTPServerHandler(deps: deps, clientAddress: "192.0.2.1"))
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.2", port: 25)).wait()
    }

    /// Sends client bytes in one piece, or one byte at a time.
    func send(_ text: String, byteByByte: Bool = false) throws {
        let bytes = Array(text.utf8)
        if byteByByte {
            for byte in bytes { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        } else {
            try channel.writeInbound(ByteBuffer(bytes: bytes))
        }
        channel.embeddedEventLoop.run()
    }

    /// Everything the server wrote since the last call.
    func replies() throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    /// Reply codes of everything the server wrote since the last call, one per
    /// reply (continuation lines skipped).
    func codes() throws -> [String] {
        try replies().split(separator: "\r\n", omittingEmptySubsequences: true).compactMap { line in
            line.count >= 4 && line[line.index(line.startIndex, offsetBy: 3)] == "-" ? nil : String(line.prefix(3))
        }
    }
}
