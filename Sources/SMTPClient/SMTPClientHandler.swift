import NIOCore
import NIOSSL
import NIOTLS
import SMTPCore

/// Frames the server's replies and hands them to the oldest waiting group,
/// in order (replies to pipelined commands come in command order,
/// RFC 2920 §3.1).
final class SMTPClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Replies awaited together (a pipelined group, RFC 2920), completed by the last of them: one promise
    /// and one timer for the group, not one of each per reply.
    private struct ReplyGroup {
        let id: UInt64
        let promise: EventLoopPromise<[SMTPReply]>
        /// Per reply, when it is due (cumulative from the write) and the stage named in a timeout.
        let stages: [(deadline: NIODeadline, name: String)]
        var replies: [SMTPReply] = []
        var timer: Scheduled<Void>?
    }

    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser(maxLineLength: 4096, maxLines: 200)
    private var groups = CircularBuffer<ReplyGroup>()
    private var groupsRegistered: UInt64 = 0
    private var tlsPromise: EventLoopPromise<Void>?
    private var failure: SMTPClientError?

    /// Registers the promise for the next reply, with no timeout of its own.
    func expectReply(_ promise: EventLoopPromise<SMTPReply>) {
        let group = promise.futureResult.eventLoop.makePromise(of: [SMTPReply].self)
        group.futureResult.map { $0[0] }.cascade(to: promise)
        expectReplies([(.distantFuture, "reply")], promise: group, on: promise.futureResult.eventLoop)
    }

    /// Registers one promise for the next `stages.count` replies. Each reply is due by its deadline; if
    /// it has not come by then the session fails with `.timeout(name)`.
    func expectReplies(
        _ stages: [(deadline: NIODeadline, name: String)], promise: EventLoopPromise<[SMTPReply]>,
        on eventLoop: any EventLoop
    ) {
        if let failure {
            promise.fail(failure)
            return
        }
        groupsRegistered += 1
        var group = ReplyGroup(id: groupsRegistered, promise: promise, stages: stages)
        group.replies.reserveCapacity(stages.count)
        if let first = stages.first, first.deadline != .distantFuture {
            group.timer = schedule(group.id, at: first.deadline, on: eventLoop)
        }
        groups.append(group)
    }

    private func schedule(_ id: UInt64, at deadline: NIODeadline, on eventLoop: any EventLoop) -> Scheduled<Void> {
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        return eventLoop.scheduleTask(deadline: deadline) { handler.value.deadlinePassed(id, on: eventLoop) }
    }

    /// A group's timer: its next reply is overdue, or (replies came meanwhile) a later one is the next
    /// to wait for.
    private func deadlinePassed(_ id: UInt64, on eventLoop: any EventLoop) {
        guard let position = groups.firstIndex(where: { $0.id == id }) else { return }
        let group = groups[position]
        let next = group.stages[group.replies.count]
        if next.deadline <= .now() {
            fail(.timeout(next.name), context: nil)
        } else {
            groups[position].timer = schedule(id, at: next.deadline, on: eventLoop)
        }
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
            guard !groups.isEmpty else {
                fail(.protocolViolation("unexpected reply \(reply.code)"), context: context)
                return
            }
            groups[groups.startIndex].replies.append(reply)
            if groups[groups.startIndex].replies.count == groups[groups.startIndex].stages.count {
                let done = groups.removeFirst()
                done.timer?.cancel()
                done.promise.succeed(done.replies)
            }
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
        let pending = groups
        groups.removeAll()
        for group in pending {
            group.timer?.cancel()
            group.promise.fail(error)
        }
        tlsPromise?.fail(error)
        tlsPromise = nil
        context?.close(promise: nil)
    }
}
