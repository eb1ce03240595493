import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PetrelCrypto
import SMTPCore

/// One outbound SMTP connection: greeting, EHLO (HELO fallback), STARTTLS
/// by policy, then any number of transactions over it (connection reuse).
public final class SMTPClientConnection: Sendable {
    public let host: String
    public let address: String
    private let channel: Channel
    private let handler: NIOLoopBound<SMTPClientHandler>
    private let settings: SMTPClientSettings
    private let state: NIOLockedValueBox<State>

    struct State {
        var capabilities = ESMTPCapabilities(ehloReply: nil)
        var tls = TLSOutcome.none
        var greeting: SMTPReply?
    }

    public var capabilities: ESMTPCapabilities { state.withLockedValue { $0.capabilities } }
    public var tlsOutcome: TLSOutcome { state.withLockedValue { $0.tls } }
    public var greeting: SMTPReply? { state.withLockedValue { $0.greeting } }
    public var isActive: Bool { channel.isActive }

    private init(
        host: String, address: String, channel: Channel, handler: NIOLoopBound<SMTPClientHandler>,
        settings: SMTPClientSettings
    ) {
        self.host = host
        self.address = address
        self.channel = channel
        self.handler = handler
        self.settings = settings
        self.state = NIOLockedValueBox(State())
    }

    /// Connects to `address` (an IP) of MX host `host`, reads the greeting,
    /// says EHLO and starts TLS as the policy asks. An opportunistic
    /// handshake that fails is retried once in the clear on a new
    /// connection (as Postfix does at its "may" level).
    public static func connect(
        host: String, address: String, port: Int = 25, settings: SMTPClientSettings, group: any EventLoopGroup
    ) async throws(SMTPClientError) -> SMTPClientConnection {
        do {
            return try await open(host: host, address: address, port: port, settings: settings, group: group)
        } catch .tlsUnavailable(let reason) where settings.tlsPolicy == .opportunistic {
            var clear = settings
            clear.tlsPolicy = .disabled
            let connection = try await open(host: host, address: address, port: port, settings: clear, group: group)
            connection.state.withLockedValue { $0.tls = .failed(reason) }
            return connection
        }
    }

    private static func open(
        host: String, address: String, port: Int, settings: SMTPClientSettings, group: any EventLoopGroup
    ) async throws(SMTPClientError) -> SMTPClientConnection {
        let target: SocketAddress
        do {
            target = try SocketAddress(ipAddress: address, port: port)
        } catch {
            throw .connectFailed("bad address \(address)")
        }
        let eventLoop = group.next()
        let greetingPromise = eventLoop.makePromise(of: SMTPReply.self)
        let handlerBox = NIOLockedValueBox<NIOLoopBound<SMTPClientHandler>?>(nil)
        var bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.init(settings.timeouts.connect))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = SMTPClientHandler()
                    handler.expectReply(greetingPromise)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    handlerBox.withLockedValue { $0 = NIOLoopBound(handler, eventLoop: channel.eventLoop) }
                }
            }
        if let local = settings.localAddress, let bindAddress = try? SocketAddress(ipAddress: local, port: 0) {
            bootstrap = bootstrap.bind(to: bindAddress)
        }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(to: target).get()
        } catch {
            greetingPromise.fail(SMTPClientError.connectFailed("\(error)"))
            throw .connectFailed("\(address):\(port): \(error)")
        }
        guard let handler = handlerBox.withLockedValue({ $0 }) else {
            throw .connectFailed("channel set-up failed")
        }
        let connection = SMTPClientConnection(
            host: host, address: address, channel: channel, handler: handler, settings: settings)
        do {
            let greeting = try await connection.await(
                greetingPromise.futureResult, settings.timeouts.greeting, "greeting")
            connection.state.withLockedValue { $0.greeting = greeting }
            // RFC 5321 §3.1: anything but 220 means "not now"; say QUIT.
            guard greeting.code == 220 else {
                await connection.quit()
                throw SMTPClientError.greetingRefused(greeting)
            }
            try await connection.hello()
            try await connection.negotiateTLS()
            try await connection.authenticate()
            return connection
        } catch let error as SMTPClientError {
            await connection.close()
            throw error
        } catch {
            await connection.close()
            throw .protocolViolation("\(error)")
        }
    }

    // MARK: - Session set-up

    /// EHLO, falling back to HELO when EHLO is refused (RFC 5321 §3.2).
    private func hello() async throws(SMTPClientError) {
        let ehlo = try await command(.ehlo(settings.ehloName), timeout: settings.timeouts.command, stage: "EHLO")
        if ehlo.isPositiveCompletion {
            state.withLockedValue { $0.capabilities = ESMTPCapabilities(ehloReply: ehlo) }
            return
        }
        let helo = try await command(.helo(settings.ehloName), timeout: settings.timeouts.command, stage: "HELO")
        guard helo.isPositiveCompletion else { throw .heloRefused(helo) }
        state.withLockedValue { $0.capabilities = ESMTPCapabilities(ehloReply: nil) }
    }

    private func negotiateTLS() async throws(SMTPClientError) {
        guard settings.tlsPolicy != .disabled else { return }
        guard capabilities.startTLS else {
            state.withLockedValue { $0.tls = .notOffered }
            if settings.tlsPolicy == .required { throw .tlsUnavailable("STARTTLS not offered by \(host)") }
            return
        }
        let reply = try await command(.startTLS, timeout: settings.timeouts.command, stage: "STARTTLS")
        guard reply.code == 220 else {
            if settings.tlsPolicy == .required { throw .tlsUnavailable("STARTTLS refused: \(reply.code)") }
            state.withLockedValue { $0.tls = .failed("STARTTLS refused: \(reply.code)") }
            return
        }
        let verification = NIOLockedValueBox<CertificateChainVerifier.Outcome?>(nil)
        let policy = settings.tlsPolicy
        let verify = settings.verifyCertificates
        let host = self.host
        let tlsPromise = channel.eventLoop.makePromise(of: Void.self)
        let handler = self.handler
        do {
            let context = try Self.tlsContext()
            try await channel.eventLoop.submit { [channel] in
                handler.value.resetForTLS()
                handler.value.expectTLS(tlsPromise)
                let ssl = try NIOSSLClientHandler(
                    context: context, serverHostname: Self.isIPAddress(host) ? nil : host,
                    customVerificationCallback: { certificates, promise in
                        let chain = certificates.compactMap { try? $0.toDERBytes() }
                        let outcome = CertificateChainVerifier.verify(chain: chain, hostname: host)
                        verification.withLockedValue { $0 = outcome }
                        if case .untrusted = outcome, policy == .required, verify {
                            promise.succeed(.failed)
                        } else {
                            promise.succeed(.certificateVerified)
                        }
                    })
                try channel.pipeline.syncOperations.addHandler(ssl, position: .first)
            }.get()
            try await self.await(tlsPromise.futureResult, settings.timeouts.command, "TLS handshake")
        } catch let error as SMTPClientError {
            throw error
        } catch {
            throw .tlsUnavailable("\(error)")
        }
        let version = (try? await channel.nioSSL_tlsVersion().get()).flatMap { $0 }
        let outcome = verification.withLockedValue { $0 }
        let verified = outcome == .trusted
        var detail: String?
        if case .untrusted(let reason) = outcome { detail = reason }
        state.withLockedValue {
            $0.tls = .established(version: version.map(Self.describe) ?? "TLS", verified: verified, detail: detail)
        }
        // RFC 3207 §4.2: forget what was learnt before TLS and ask again.
        try await hello()
    }

    /// AUTH PLAIN (RFC 4616) with the relay credentials, if any.
    private func authenticate() async throws(SMTPClientError) {
        guard let credentials = settings.credentials else { return }
        guard capabilities.keywords["AUTH"]?.contains(where: { $0.uppercased() == "PLAIN" }) == true else {
            throw .authenticationFailed(nil)
        }
        var token = [UInt8(0)] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8)
        let encoded = Self.base64(token)
        token.removeAll()
        let reply = try await command(
            .auth(mechanism: "PLAIN", initialResponse: encoded), timeout: settings.timeouts.command, stage: "AUTH")
        guard reply.code == 235 else { throw .authenticationFailed(reply) }
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                if position <= chunk.count {
                    out.append(alphabet[Int((value >> (18 - 6 * UInt32(position))) & 63)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Transactions

    /// Sends one message. With PIPELINING, MAIL, every RCPT and DATA go in
    /// one write (RFC 2920 §3.1); otherwise one command at a time.
    public func send(_ transaction: ClientTransaction) async throws(SMTPClientError) -> TransactionResult {
        let capabilities = self.capabilities
        let mail = SMTPCommand.mail(transaction.sender, adapt(transaction.mailParameters, to: capabilities))
        let rcpts = transaction.recipients.map { recipient in
            SMTPCommand.rcpt(recipient.path, capabilities.dsn ? recipient.parameters : RcptParameters())
        }
        let timeouts = settings.timeouts
        var result: TransactionResult
        if capabilities.pipelining {
            var stages = [(mail, timeouts.command, "MAIL")]
            stages += rcpts.map { ($0, timeouts.command, "RCPT") }
            stages.append((.data, timeouts.dataInitiation, "DATA"))
            let replies = try await pipeline(stages)
            result = TransactionResult(mail: replies[0], recipients: Array(replies[1..<(replies.count - 1)]))
            let dataReply = replies[replies.count - 1]
            let accepted = result.mail.isPositiveCompletion && result.recipients.contains { $0.isPositiveCompletion }
            if dataReply.code == 354 {
                if accepted {
                    result.data = try await sendMessage(transaction.message)
                } else {
                    // RFC 2920 §3.1: a 354 with no recipient accepted gets an empty message.
                    _ = try await raw(
                        ByteBuffer(string: ".\r\n"), timeout: timeouts.dataTermination, stage: "end of data")
                }
            } else if accepted {
                result.data = dataReply
            }
            if !result.mail.isPositiveCompletion || result.data == nil {
                _ = try? await command(.rset, timeout: timeouts.command, stage: "RSET")
            }
            return result
        }
        let mailReply = try await command(mail, timeout: timeouts.command, stage: "MAIL")
        result = TransactionResult(mail: mailReply, recipients: [])
        guard mailReply.isPositiveCompletion else {
            _ = try? await command(.rset, timeout: timeouts.command, stage: "RSET")
            return result
        }
        for rcpt in rcpts {
            result.recipients.append(try await command(rcpt, timeout: timeouts.command, stage: "RCPT"))
        }
        guard result.recipients.contains(where: \.isPositiveCompletion) else {
            _ = try? await command(.rset, timeout: timeouts.command, stage: "RSET")
            return result
        }
        let dataReply = try await command(.data, timeout: timeouts.dataInitiation, stage: "DATA")
        guard dataReply.code == 354 else {
            result.data = dataReply
            _ = try? await command(.rset, timeout: timeouts.command, stage: "RSET")
            return result
        }
        result.data = try await sendMessage(transaction.message)
        return result
    }

    /// Parameters the server did not announce are left out (RFC 5321
    /// §4.1.1.11); the caller decides beforehand what cannot be sent at all
    /// (SMTPUTF8 to a server without it, RFC 6531 §3.4).
    private func adapt(_ parameters: MailParameters, to capabilities: ESMTPCapabilities) -> MailParameters {
        var adapted = parameters
        if capabilities.maximumSize == nil && !capabilities.has("SIZE") { adapted.size = nil }
        if !capabilities.eightBitMIME && adapted.body == .eightBitMIME { adapted.body = nil }
        if !capabilities.has("BINARYMIME") && adapted.body == .binaryMIME { adapted.body = nil }
        if !capabilities.smtpUTF8 { adapted.smtpUTF8 = false }
        if !capabilities.dsn {
            adapted.ret = nil
            adapted.envid = nil
        }
        if !capabilities.requireTLS { adapted.requireTLS = false }
        adapted.auth = nil
        return adapted
    }

    private func sendMessage(_ message: ByteBuffer) async throws(SMTPClientError) -> SMTPReply {
        let stage = [(settings.timeouts.dataTermination, "end of data")]
        if DotStuffing.isTransparent(message) {
            // Sent as stored, in one write with the end of data: no copy.
            return try await pipelineBytes([message, ByteBuffer(string: ".\r\n")], stages: stage)[0]
        }
        var stuffed = channel.allocator.buffer(capacity: message.readableBytes + message.readableBytes / 64 + 8)
        DotStuffing.stuff(message, into: &stuffed)
        return try await pipelineBytes([stuffed], stages: stage)[0]
    }

    /// RSET between transactions when a caller abandons one.
    public func reset() async throws(SMTPClientError) -> SMTPReply {
        try await command(.rset, timeout: settings.timeouts.command, stage: "RSET")
    }

    /// Says QUIT (waiting briefly for 221) and closes.
    public func quit() async {
        _ = try? await command(.quit, timeout: .seconds(5), stage: "QUIT")
        await close()
    }

    public func close() async {
        try? await channel.close()
    }

    // MARK: - Plumbing

    public func command(_ command: SMTPCommand, timeout: Duration, stage: String) async throws(SMTPClientError)
        -> SMTPReply
    {
        var bytes = channel.allocator.buffer(capacity: 64)
        command.write(into: &bytes)
        return try await raw(bytes, timeout: timeout, stage: stage)
    }

    private func raw(_ bytes: ByteBuffer, timeout: Duration, stage: String) async throws(SMTPClientError) -> SMTPReply {
        try await pipelineBytes([bytes], stages: [(timeout, stage)])[0]
    }

    private func pipeline(_ stages: [(SMTPCommand, Duration, String)]) async throws(SMTPClientError) -> [SMTPReply] {
        var bytes = channel.allocator.buffer(capacity: 64 * stages.count)
        for stage in stages { stage.0.write(into: &bytes) }
        return try await pipelineBytes([bytes], stages: stages.map { ($0.1, $0.2) })
    }

    /// Writes `parts` in one flush and waits for one reply per stage.
    private func pipelineBytes(_ parts: [ByteBuffer], stages: [(Duration, String)]) async throws(SMTPClientError)
        -> [SMTPReply]
    {
        let handler = self.handler
        let channel = self.channel
        // One hop to the event loop and one back for the whole group: the
        // replies are collected there, each under its RFC 5321 §4.5.3.2
        // timeout (counted from the write, cumulatively).
        let eventLoop = channel.eventLoop
        let replies = eventLoop.makePromise(of: [SMTPReply].self)
        eventLoop.execute {
            let start = NIODeadline.now()
            var elapsed = Duration.zero
            let deadlines = stages.map { stage -> (deadline: NIODeadline, name: String) in
                elapsed += stage.0
                return (start + .init(elapsed), stage.1)
            }
            handler.value.expectReplies(deadlines, promise: replies, on: eventLoop)
            for part in parts.dropLast() { channel.write(part, promise: nil) }
            channel.writeAndFlush(parts[parts.count - 1], promise: nil)
        }
        do {
            return try await replies.futureResult.get()
        } catch let error as SMTPClientError {
            if case .timeout = error { try? await channel.close() }
            throw error
        } catch {
            throw .connectionClosed
        }
    }

    /// Waits for a future, failing the session after `timeout`.
    @discardableResult
    private func await<T: Sendable>(_ future: EventLoopFuture<T>, _ timeout: Duration, _ stage: String)
        async throws(SMTPClientError) -> T
    {
        let handler = self.handler
        let timer = future.eventLoop.scheduleTask(in: .init(timeout)) {
            handler.value.fail(.timeout(stage), context: nil)
        }
        do {
            let value = try await future.get()
            timer.cancel()
            return value
        } catch let error as SMTPClientError {
            timer.cancel()
            if case .timeout = error { try? await channel.close() }
            throw error
        } catch {
            timer.cancel()
            throw .protocolViolation("\(error)")
        }
    }

    // MARK: - TLS helpers

    private static let sharedContext = NIOLockedValueBox<NIOSSLContext?>(nil)

    /// One client context for all connections; the verification callback
    /// decides trust per connection.
    static func tlsContext() throws -> NIOSSLContext {
        try sharedContext.withLockedValue { cached in
            if let cached { return cached }
            var configuration = TLSConfiguration.makeClientConfiguration()
            // The verification callback checks the chain and the MX name itself
            // (CertificateChainVerifier), so NIOSSL must not fail the handshake
            // on a name mismatch that opportunistic TLS only records.
            configuration.certificateVerification = .noHostnameVerification
            configuration.minimumTLSVersion = .tlsv12
            let context = try NIOSSLContext(configuration: configuration)
            cached = context
            return context
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
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
