import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP/1.1 server on 127.0.0.1 that records every request and answers with a scripted sequence of
/// status codes (the last one repeats); a nil entry leaves the request unanswered, to provoke a timeout.
final class TestReceiver: @unchecked Sendable {
    /// One request as it arrived.
    struct Request: Sendable {
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var body: [UInt8]
        var time: Date
    }

    let port: Int
    private let channel: any Channel
    // Guards `statuses` and `recorded`; the handler runs on an event loop thread, tests read from tasks.
    private let lock = NSLock()
    private var statuses: [HTTPResponseStatus?]
    private var recorded: [Request] = []

    private init(channel: any Channel, port: Int, statuses: [HTTPResponseStatus?]) {
        self.channel = channel
        self.port = port
        self.statuses = statuses
    }

    /// Starts a receiver, runs `body`, and closes the receiver whatever `body` does.
    static func with<T: Sendable>(
        statuses: [HTTPResponseStatus?] = [.ok], _ body: (TestReceiver) async throws -> T
    ) async throws -> T {
        let receiver = try await start(statuses: statuses)
        do {
            let result = try await body(receiver)
            try await receiver.close()
            return result
        } catch {
            try? await receiver.close()
            throw error
        }
    }

    static func start(statuses: [HTTPResponseStatus?]) async throws -> TestReceiver {
        let box = ReceiverBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        guard let port = channel.localAddress?.port else {
            try await channel.close()
            throw ReceiverError.noPort
        }
        let receiver = TestReceiver(channel: channel, port: port, statuses: statuses)
        box.set(receiver)
        return receiver
    }

    func url(path: String = "/hook") -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    var requests: [Request] {
        lock.withLock { recorded }
    }

    func close() async throws {
        try await channel.close()
    }

    /// Replaces the script for the requests still to come.
    func answer(with statuses: [HTTPResponseStatus?]) {
        lock.withLock { self.statuses = statuses }
    }

    /// Records the request and returns the status to answer, nil for none.
    fileprivate func answer(_ request: Request) -> HTTPResponseStatus? {
        lock.withLock {
            recorded.append(request)
            return statuses.count > 1 ? statuses.removeFirst() : (statuses.first ?? .ok)
        }
    }

    enum ReceiverError: Error {
        case noPort
    }
}

/// Lets the channel initializer, built before the receiver exists, reach it.
private final class ReceiverBox: @unchecked Sendable {
    private let lock = NSLock()
    private var receiver: TestReceiver?

    func set(_ receiver: TestReceiver) {
        lock.withLock { self.receiver = receiver }
    }

    func get() -> TestReceiver? {
        lock.withLock { receiver }
    }
}

private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let box: ReceiverBox
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(box: ReceiverBox) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            let request = TestReceiver.Request(
                method: head.method, uri: head.uri, headers: head.headers, body: body, time: Date())
            self.head = nil
            guard let receiver = box.get(), let status = receiver.answer(request) else { return }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "2")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
