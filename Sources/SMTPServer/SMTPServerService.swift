import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SMTPCore
import ServiceLifecycle

/// The SMTP listeners as one long-running service. On graceful shutdown it
/// stops accepting, lets open sessions finish for the grace period, then
/// answers the rest with 421 and closes them.
public final class SMTPServerService: Service, Sendable {
    private let settings: ServerSettings
    private let listeners: [ListenerSettings]
    private let tlsContext: NIOSSLContext?
    private let sink: any MessageSink
    private let authenticator: any Authenticator
    private let group: any EventLoopGroup
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let registry: ConnectionRegistry

    public init(
        settings: ServerSettings, listeners: [ListenerSettings], tlsContext: NIOSSLContext?, sink: any MessageSink,
        authenticator: any Authenticator, group: any EventLoopGroup, threadPool: NIOThreadPool, logger: Logger
    ) {
        self.settings = settings
        self.listeners = listeners
        self.tlsContext = tlsContext
        self.sink = sink
        self.authenticator = authenticator
        self.group = group
        self.threadPool = threadPool
        self.logger = logger
        self.registry = ConnectionRegistry(
            maxConnections: settings.maxConnections, maxConnectionsPerIP: settings.maxConnectionsPerIP)
    }

    /// SMTP sessions open now, on every listener (refused connections not counted).
    public var openSessions: Int { registry.count }

    /// Connections since start, admitted or refused over a limit.
    public var connectionTotals: ConnectionTotals { registry.totals }

    /// Binds every listener; returns the bound server channels.
    public func bind() async throws -> [Channel] {
        var channels: [Channel] = []
        for listener in listeners {
            let channel: Channel
            do {
                channel = try await bootstrap(for: listener).bind(host: listener.host, port: listener.port).get()
            } catch {
                for open in channels { try? await open.close() }
                throw ListenerBindError(
                    listener: listener.name, address: "\(listener.host):\(listener.port)", reason: "\(error)")
            }
            logger.notice(
                "listening",
                metadata: [
                    "listener": "\(listener.name)", "address": "\(channel.localAddress.map { "\($0)" } ?? "?")",
                    "mode": "\(listener.mode.rawValue)",
                ])
            channels.append(channel)
        }
        return channels
    }

    public func run() async throws {
        let channels: [Channel]
        do {
            channels = try await bind()
        } catch {
            logger.critical("cannot listen: \(error)")
            throw error
        }
        try? await gracefulShutdown()
        logger.notice("shutting down: no longer accepting connections")
        for channel in channels { try? await channel.close() }
        await drain()
    }

    /// Waits for open sessions to end within the grace period, then tells
    /// the rest to go.
    private func drain() async {
        let deadline = ContinuousClock.now + settings.shutdownGrace
        while registry.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let remaining = registry.channels
        guard !remaining.isEmpty else { return }
        logger.notice("grace period over: closing \(remaining.count) sessions with 421")
        for channel in remaining {
            channel.pipeline.fireUserInboundEventTriggered(SMTPShutdownEvent())
        }
        let hardDeadline = ContinuousClock.now + .seconds(5)
        while registry.count > 0 && ContinuousClock.now < hardDeadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        for channel in registry.channels { try? await channel.close() }
    }

    private func bootstrap(for listener: ListenerSettings) -> ServerBootstrap {
        let deps = SMTPServerHandler.Dependencies(
            settings: settings, listener: listener, tlsContext: listener.offersTLS ? tlsContext : nil, sink: sink,
            authenticator: authenticator, threadPool: threadPool, registry: registry, logger: logger)
        let registry = self.registry
        let hostname = settings.hostname
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // No socket options per accepted connection: TCP_NODELAY, which the bootstrap sets on the
            // listening socket, is inherited by each one (a setsockopt per session saved).
            .childChannelOption(.maxMessagesPerRead, value: 8)
            .childChannelInitializer { channel in
                let address = channel.remoteAddress?.ipAddress ?? "unknown"
                let reply: SMTPReply
                switch registry.admit(channel, address: address) {
                case .admitted:
                    return channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            SMTPServerHandler(deps: deps, clientAddress: address))
                    }
                case .tooManyTotal:
                    reply = SMTPReply(
                        code: 421, enhanced: .init(4, 7, 0), "\(hostname) Too many connections, try later")
                case .tooManyFromAddress:
                    reply = SMTPReply(
                        code: 421, enhanced: .init(4, 7, 0), "\(hostname) Too many connections from your address")
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RefuseHandler(reply: reply))
                }
            }
    }
}

/// A listener could not bind its address; the message names both.
public struct ListenerBindError: Error, CustomStringConvertible {
    public var listener: String
    public var address: String
    public var reason: String

    public var description: String {
        let cause = reason.contains("in use") ? "address already in use" : reason
        return "listener \(listener): cannot listen on \(address): \(cause)"
    }
}

/// Answers a connection over the limits with 421 and closes it
/// (RFC 5321 §3.1).
final class RefuseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: SMTPReply

    init(reply: SMTPReply) { self.reply = reply }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 128)
        reply.write(into: &buffer)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
