import Foundation
import Logging
import MailMessage
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import SMTPCore
import Synchronization

/// The channel handler of one SMTP server session. It frames input by the
/// session's input mode, hands events to `SMTPSession` and performs the
/// actions it returns. Replies to pipelined commands are written together
/// and flushed once the input is used up (RFC 2920 §3).
final class SMTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Dependencies: Sendable {
        var settings: ServerSettings
        var listener: ListenerSettings
        var tlsContext: NIOSSLContext?
        var sink: any MessageSink
        var authenticator: any Authenticator
        var threadPool: NIOThreadPool
        var registry: ConnectionRegistry
        var logger: Logger
    }

    private let deps: Dependencies
    private var session: SMTPSession
    private let clientAddress: String
    private var logger: Logger
    private var input: ByteBuffer
    private var output: ByteBuffer
    private var body: ByteBuffer
    private var dataDecoder: DataStreamDecoder?
    private var chunkRemaining = 0
    private var chunkDiscard = false
    /// A command line over the limit is being skipped up to its line end.
    private var skippingLongLine = false
    private var lastActivity = NIODeadline.now()
    private var dataStarted: NIODeadline?
    private var timer: Scheduled<Void>?
    private var processing = false

    init(deps: Dependencies, clientAddress: String) {
        self.deps = deps
        self.clientAddress = clientAddress
        self.session = SMTPSession(
            settings: deps.settings, listener: deps.listener, clientAddress: clientAddress,
            tlsAvailable: deps.tlsContext != nil)
        var logger = deps.logger
        // Both keys in one assignment: a stream handler renders its metadata anew on every change.
        var metadata = logger.handler.metadata
        metadata["client"] = "\(clientAddress)"
        metadata["listener"] = "\(deps.listener.name)"
        logger.handler.metadata = metadata
        self.logger = logger
        let allocator = ByteBufferAllocator()
        self.input = allocator.buffer(capacity: 1024)
        self.output = allocator.buffer(capacity: 512)
        self.body = allocator.buffer(capacity: 0)
    }

    private var limits: SMTPLimits { deps.settings.limits }

    // MARK: - Channel events

    func channelActive(context: ChannelHandlerContext) {
        session.greetingReply.write(into: &output)
        flush(context: context)
        armTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        session.inputMode = .closed
        deps.registry.remove(context.channel, address: clientAddress)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        lastActivity = .now()
        switch session.inputMode {
        case .closed:
            return
        case .waiting where session.tlsActive == false && awaitingTLS:
            // RFC 3207 §4.2 / CVE-2011-0411: nothing sent before the
            // handshake may be acted on after it.
            return
        default:
            // Nothing buffered (the usual case): the read's own buffer becomes the input, without a copy.
            if input.readableBytes == 0 { input = bytes } else { input.writeBuffer(&bytes) }
            process(context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            awaitingTLS = false
            let version = try? context.pipeline.syncOperations.nioSSL_tlsVersion()
            session.tlsEstablished(protocol: version.flatMap { $0 }.map(Self.describe))
            input.clear()
            logger.debug("TLS established")
            process(context: context)
            return
        }
        if event is SMTPShutdownEvent {
            perform(session.shutdown(), context: context)
            flush(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.debug("connection error: \(error)")
        context.close(promise: nil)
    }

    private var awaitingTLS = false

    // MARK: - Input

    /// Consumes as much buffered input as the current mode allows.
    private func process(context: ChannelHandlerContext) {
        guard !processing else { return }
        processing = true
        defer { processing = false }
        loop: while true {
            switch session.inputMode {
            case .command:
                guard let line = nextLine(limit: limits.maxCommandLine) else { break loop }
                let action: SessionAction
                if let line {
                    do {
                        action = session.command(try SMTPCommandParser.parse(line: line))
                    } catch {
                        action = session.commandError(error)
                    }
                } else {
                    action = session.commandError(.lineTooLong)
                }
                perform(action, context: context)
            case .authLine:
                // RFC 4954 §4: AUTH lines may be up to 12288 octets.
                guard let line = nextLine(limit: 12_288) else { break loop }
                let text = line.flatMap { String(buffer: $0).trimmingCharacters(in: .whitespaces) } ?? ""
                perform(session.authLine(text), context: context)
            case .data:
                guard dataDecoder != nil else { break loop }
                let result = dataDecoder!.decode(&input, into: &body)
                guard result == .complete else { break loop }
                let violations = dataDecoder!.violations
                dataDecoder = nil
                dataStarted = nil
                perform(session.dataReceived(violations: violations), context: context)
            case .chunk:
                let take = min(chunkRemaining, input.readableBytes)
                if take > 0 {
                    if chunkDiscard {
                        input.moveReaderIndex(forwardBy: take)
                    } else {
                        var slice = input.readSlice(length: take)!
                        body.writeBuffer(&slice)
                    }
                    chunkRemaining -= take
                }
                guard chunkRemaining == 0 else { break loop }
                dataStarted = nil
                perform(session.chunkReceived(), context: context)
            case .waiting, .closed:
                break loop
            }
        }
        if input.readableBytes == 0 {
            input.clear()
        } else if input.readerIndex > 65_536 {
            input.discardReadBytes()
        }
        flush(context: context)
    }

    /// The next line without its line end; `.some(nil)` for a line over
    /// `limit` (skipped up to its end); nil when no whole line is buffered.
    private func nextLine(limit: Int) -> ByteBuffer?? {
        let view = input.readableBytesView
        if skippingLongLine {
            guard let lf = view.firstIndex(of: UInt8(ascii: "\n")) else {
                input.moveReaderIndex(to: input.writerIndex)
                return nil
            }
            input.moveReaderIndex(to: lf + 1)
            skippingLongLine = false
            return .some(nil)
        }
        guard let lf = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if input.readableBytes > limit {
                skippingLongLine = true
                input.moveReaderIndex(to: input.writerIndex)
            }
            return nil
        }
        let start = input.readerIndex
        var end = lf
        if end > start && input.getInteger(at: end - 1, as: UInt8.self) == UInt8(ascii: "\r") { end -= 1 }
        let line = input.getSlice(at: start, length: end - start)
        input.moveReaderIndex(to: lf + 1)
        if lf + 1 - start > limit { return .some(nil) }
        return .some(line)
    }

    // MARK: - Actions

    private func perform(_ action: SessionAction, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .reply(let reply), .authChallenge(let reply):
            reply.write(into: &output)
        case .replyAndClose(let reply):
            reply.write(into: &output)
            let buffer = output
            output.clear()
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in
                channel.close(promise: nil)
            }
        case .receiveData(let reply):
            reply.write(into: &output)
            dataDecoder = DataStreamDecoder(maxLineLength: limits.maxTextLine, maxMessageSize: limits.maxMessageSize)
            // Without a declared SIZE, room for the last message received plus an eighth: a buffer grown
            // step by step to 100 KB would be reallocated (and copied) three times.
            let recent = Self.recentMessageSize.load(ordering: .relaxed)
            let expected = session.transaction?.parameters.size ?? max(16_384, recent + recent / 8)
            body = Self.bodyBuffer(capacity: min(max(expected, 4096), limits.maxMessageSize) + 512, context: context)
            dataStarted = .now()
        case .receiveChunk(let size, let discard):
            chunkRemaining = size
            chunkDiscard = discard
            if !discard && body.writerIndex == 0 {
                body = Self.bodyBuffer(capacity: min(max(size, 4096), limits.maxMessageSize), context: context)
            }
            if dataStarted == nil { dataStarted = .now() }
        case .startTLS(let reply):
            startTLS(reply, context: context)
        case .authenticate(let user, let password):
            authenticate(user: user, password: password, context: context)
        case .store:
            store(context: context)
        }
    }

    /// The size of the last message stored by any session.
    static let recentMessageSize = Atomic<Int>(0)

    /// Room kept in front of a message for the trace fields the server adds (`MessageAssembler`), so
    /// that they go in without copying the message.
    static let headerRoom = 1024

    /// An empty message buffer with `headerRoom` before its start.
    private static func bodyBuffer(capacity: Int, context: ChannelHandlerContext) -> ByteBuffer {
        var buffer = context.channel.allocator.buffer(capacity: capacity + headerRoom)
        buffer.moveWriterIndex(forwardBy: headerRoom)
        buffer.moveReaderIndex(forwardBy: headerRoom)
        return buffer
    }

    private func flush(context: ChannelHandlerContext) {
        guard output.readableBytes > 0 else { return }
        let buffer = output
        output = context.channel.allocator.buffer(capacity: 512)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func startTLS(_ reply: SMTPReply, context: ChannelHandlerContext) {
        reply.write(into: &output)
        // RFC 3207 §4.2: whatever the client pipelined after STARTTLS is
        // dropped, never read as commands after the handshake.
        input.clear()
        awaitingTLS = true
        let buffer = output
        output = context.channel.allocator.buffer(capacity: 512)
        guard let tlsContext = deps.tlsContext else { return }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { result in
            let (handler, context) = bound.value
            guard case .success = result else {
                context.close(promise: nil)
                return
            }
            do {
                handler.input.clear()
                try context.pipeline.syncOperations.addHandler(
                    NIOSSLServerHandler(context: tlsContext), position: .first)
            } catch {
                handler.logger.warning("TLS set-up failed: \(error)")
                context.close(promise: nil)
            }
        }
    }

    private func authenticate(user: String, password: [UInt8], context: ChannelHandlerContext) {
        flush(context: context)
        let authenticator = deps.authenticator
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        deps.threadPool.runIfActive(eventLoop: context.eventLoop) {
            authenticator.authenticate(user: user, password: password)
        }.whenComplete { result in
            let (handler, context) = bound.value
            guard handler.session.inputMode != .closed else { return }
            let success = (try? result.get()) ?? false
            handler.logger.info("AUTH \(success ? "succeeded" : "failed") user=\(user)")
            handler.perform(handler.session.authResult(user: user, success: success), context: context)
            handler.resume(context: context)
        }
    }

    /// Continues after asynchronous work: a shutdown that arrived meanwhile
    /// closes now, otherwise buffered pipelined input is read.
    private func resume(context: ChannelHandlerContext) {
        if session.mustCloseAfterWaiting && session.inputMode != .closed {
            perform(session.shutdown(), context: context)
        }
        process(context: context)
    }

    private func store(context: ChannelHandlerContext) {
        guard let transaction = session.transaction else { return }
        let queueID = deps.sink.makeQueueID()
        let message = MessageAssembler(
            hostname: deps.settings.hostname, submission: deps.listener.mode == .submission
        ).assemble(
            body: &body, queueID: queueID, session: session, transaction: transaction,
            allocator: context.channel.allocator)
        body = context.channel.allocator.buffer(capacity: 0)
        flush(context: context)
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let size = message.body.readableBytes
        Self.recentMessageSize.store(size, ordering: .relaxed)
        let recipients = transaction.recipients.count
        deps.sink.accept(message) { result in
            bound.eventLoop.execute {
                let (handler, context) = bound.value
                switch result {
                case .success:
                    handler.logger.info(
                        "queued id=\(queueID) from=<\(transaction.sender.address)> size=\(size) nrcpt=\(recipients)")
                case .failure(let error):
                    handler.logger.error("spool write failed id=\(queueID): \(error)")
                }
                guard handler.session.inputMode != .closed else { return }
                handler.perform(handler.session.stored(queueID: queueID, result: result), context: context)
                handler.resume(context: context)
            }
        }
    }

    // MARK: - Timeouts

    /// One timer per session, re-armed from the last activity instead of on
    /// every read.
    private func armTimer(context: ChannelHandlerContext) {
        let timeout: TimeAmount
        switch session.inputMode {
        case .data, .chunk: timeout = .init(limits.dataBlockTimeout)
        default: timeout = .init(limits.commandTimeout)
        }
        var deadline = lastActivity + timeout
        if let dataStarted {
            deadline = min(deadline, dataStarted + .init(limits.dataTimeout))
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = bound.value
            handler.timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        guard session.inputMode != .closed else { return }
        let now = NIODeadline.now()
        let idle: TimeAmount =
            switch session.inputMode {
            case .data, .chunk: .init(limits.dataBlockTimeout)
            case .waiting: .hours(24)
            default: .init(limits.commandTimeout)
            }
        let dataExpired = dataStarted.map { now >= $0 + .init(limits.dataTimeout) } ?? false
        if now >= lastActivity + idle || dataExpired {
            logger.info("timeout in \(session.inputMode)")
            perform(session.timeout(), context: context)
            return
        }
        armTimer(context: context)
    }

    private static func describe(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }
}
