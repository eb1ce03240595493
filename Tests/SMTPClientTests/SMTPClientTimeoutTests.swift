import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SMTPCore
import Testing

@testable import SMTPClient

/// The timeouts of a pipelined group (RFC 5321 §4.5.3.2, counted from the write, cumulatively): one
/// timer serves the group, re-armed as replies come, so a reply is late only past its own deadline.
@Suite struct SMTPClientTimeoutTests {
    /// A server that answers each command line after `delay(command)`, counted from the previous
    /// reply (nil: never), with PIPELINING offered.
    final class ScriptedServer: Sendable {
        let channel: Channel
        var port: Int { channel.localAddress?.port ?? 0 }

        init(group: any EventLoopGroup, delay: @escaping @Sendable (String) -> Duration?) async throws {
            channel = try await ServerBootstrap(group: group)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Handler(delay: delay))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }

        final class Handler: ChannelInboundHandler {
            typealias InboundIn = ByteBuffer
            typealias OutboundOut = ByteBuffer
            let delay: @Sendable (String) -> Duration?
            var pending = ""
            var inData = false
            /// When the last reply went out (replies are spaced from it, in order).
            var lastReply = NIODeadline.now()

            init(delay: @escaping @Sendable (String) -> Duration?) { self.delay = delay }

            func channelActive(context: ChannelHandlerContext) {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "220 scripted\r\n")), promise: nil)
            }

            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                var bytes = unwrapInboundIn(data)
                pending += bytes.readString(length: bytes.readableBytes) ?? ""
                while let end = pending.range(of: "\r\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    if inData {
                        if line == "." {
                            inData = false
                            answer("250 queued", for: "end of data", context: context)
                        }
                        continue
                    }
                    let verb = String(line.prefix(4)).uppercased()
                    switch verb {
                    case "EHLO": answer("250-scripted\r\n250 PIPELINING", for: verb, context: context)
                    case "DATA":
                        answer("354 go ahead", for: verb, context: context)
                        inData = true
                    case "QUIT": answer("221 bye", for: verb, context: context)
                    default: answer("250 ok", for: verb, context: context)
                    }
                }
            }

            private func answer(_ reply: String, for command: String, context: ChannelHandlerContext) {
                guard let wait = delay(command) else { return }
                lastReply = max(lastReply, .now()) + .init(wait)
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(deadline: lastReply) {
                    loopBound.value.writeAndFlush(
                        NIOAny(ByteBuffer(string: reply + "\r\n")), promise: nil)
                }
            }
        }
    }

    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func settings() -> SMTPClientSettings {
        var settings = SMTPClientSettings(ehloName: "client.test", tlsPolicy: .disabled)
        settings.timeouts.command = .milliseconds(300)
        settings.timeouts.dataInitiation = .milliseconds(300)
        settings.timeouts.dataTermination = .milliseconds(300)
        return settings
    }

    static func transaction() -> ClientTransaction {
        ClientTransaction(
            sender: .mailbox(Mailbox(localPart: "sender", domain: .name("origin.test"))),
            recipients: [(path: .mailbox(Mailbox(localPart: "a", domain: .name("dest.test"))), RcptParameters())],
            message: ByteBuffer(string: "Subject: t\r\n\r\nhello\r\n"))
    }

    /// MAIL, RCPT and DATA answered 200 ms apart: RCPT comes after MAIL's deadline (300 ms) but before
    /// its own (600 ms), and DATA before 900 ms, so the transaction goes through.
    @Test func repliesWithinTheirCumulativeDeadlinesAreNotLate() async throws {
        let server = try await ScriptedServer(group: Self.group) { command in
            ["MAIL", "RCPT", "DATA"].contains(command) ? .milliseconds(200) : .zero
        }
        let connection = try await SMTPClientConnection.connect(
            host: "scripted.test", address: "127.0.0.1", port: server.port, settings: Self.settings(),
            group: Self.group)
        let result = try await connection.send(Self.transaction())
        #expect(result.mail.code == 250)
        #expect(result.recipients.map(\.code) == [250])
        #expect(result.data?.code == 250)
        await connection.quit()
        try await server.channel.close()
    }

    /// DATA never answered: the group fails with the timeout of the DATA stage, after MAIL and RCPT
    /// came in time.
    @Test func aMissingReplyTimesOutNamingItsStage() async throws {
        let server = try await ScriptedServer(group: Self.group) { command in
            command == "DATA" ? nil : .milliseconds(50)
        }
        let connection = try await SMTPClientConnection.connect(
            host: "scripted.test", address: "127.0.0.1", port: server.port, settings: Self.settings(),
            group: Self.group)
        let clock = ContinuousClock()
        let start = clock.now
        var failure: SMTPClientError?
        do {
            _ = try await connection.send(Self.transaction())
        } catch {
            failure = error
        }
        guard case .timeout(let stage)? = failure else {
            Issue.record("expected a timeout, got \(String(describing: failure))")
            return
        }
        #expect(stage == "DATA")
        // MAIL (300 ms) + RCPT (300 ms) + DATA (300 ms): the DATA deadline is 900 ms after the write.
        #expect(clock.now - start >= .milliseconds(850))
        #expect(!connection.isActive)
        try await server.channel.close()
    }
}
