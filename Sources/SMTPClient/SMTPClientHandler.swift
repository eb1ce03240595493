import NIOCore
import NIOSSL
import NIOTLS
import SMTPCore

/// Frames the server's replies and hands each to the oldest waiting
/// promise, in order (replies to pipelined commands come in command order,
/// RFC 2920 §3.1).
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser(maxLineLength: 4096, maxLines: 200)
    private var waiting: [EventLoopPromise<SMTPReply>] = []
    private var waitingIndex = 0
    private var tlsPromise: EventLoopPromise<Void>?
    private var failure: SMTPClientError?

    /// Registers the promise for the next reply.
    func expectReply(_ promise: EventLoopPromise<SMTPReply>) {
        if let failure {
            promise.fail(failure)
            return
        }
        waiting.append(promise)
    }

    func expectTLS(_ promise: EventLoopPromise<Void>) {
        if let failure {
            promise.fail(failure)
            return
        }
        tlsPromise = promise
    }

    /// Drops bytes buffered before the TLS handshake (RFC 3207 §4.2).
    func resetForTLS() {
        buffer.clear()
        parser = SMTPReplyParser(maxLineLength: 4096, maxLines: 200)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while true {
            let reply: SMTPReply?
            do {
                reply = try parser.parse(&buffer)
            } catch {
                fail(.protocolViolation("\(error)"), context: context)
                return
            }
            guard let reply else { break }
            guard waitingIndex < waiting.count else {
                fail(.protocolViolation("unexpected reply \(reply.code)"), context: context)
                return
            }
            let promise = waiting[waitingIndex]
            waitingIndex += 1
            if waitingIndex == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingIndex = 0
            }
            promise.succeed(reply)
        }
        buffer.discardReadBytes()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            tlsPromise?.succeed(())
            tlsPromise = nil
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed, context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let reason: SMTPClientError =
            if let tlsError = error as? NIOSSLError {
                .tlsUnavailable("\(tlsError)")
            } else if let clientError = error as? SMTPClientError {
                clientError
            } else {
                .protocolViolation("\(error)")
            }
        fail(reason, context: context)
    }

    /// Fails everything that waits and closes the connection.
    func fail(_ error: SMTPClientError, context: ChannelHandlerContext?) {
        if failure == nil { failure = error }
        let pending = waiting[waitingIndex...]
        waiting.removeAll()
        waitingIndex = 0
        for promise in pending { promise.fail(error) }
        tlsPromise?.fail(error)
        tlsPromise = nil
        context?.close(promise: nil)
    }
}
