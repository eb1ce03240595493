import Logging
import NIOCore
import Queue
import SMTPClient
import SMTPCore
import Spool

/// Delivers a site's mail straight to its MX hosts: connects to the hosts
/// in plan order (the next host or address after a connection failure or a
/// 4xx greeting, RFC 5321 §5.1), then sends message after message over the
/// connection for as long as the queue hands them out.
public struct DirectMXRunner: ConnectionRunner {
    let spool: Spool
    let settings: SMTPClientSettings
    let group: any EventLoopGroup
    let clock: any QueueClock
    let logger: Logger
    /// The TLS policy of a destination domain, when it differs from `settings`.
    let tlsPolicy: @Sendable (_ domain: String) -> TLSPolicy?
    /// The envelope sender to use instead of the message's (VERP), given the queue id and, when the delivery
    /// has exactly one, its recipient; never called for the null sender.
    let senderRewrite: (@Sendable (_ queueID: QueueID, _ recipient: String?) -> String)?

    public init(
        spool: Spool, settings: SMTPClientSettings, group: any EventLoopGroup, clock: any QueueClock, logger: Logger,
        tlsPolicy: @escaping @Sendable (_ domain: String) -> TLSPolicy? = { _ in nil },
        senderRewrite: (@Sendable (_ queueID: QueueID, _ recipient: String?) -> String)? = nil
    ) {
        self.senderRewrite = senderRewrite
        self.spool = spool
        self.settings = settings
        self.group = group
        self.clock = clock
        self.logger = logger
        self.tlsPolicy = tlsPolicy
    }

    public func run(_ lease: SiteLease) async {
        // The whole session runs on its connection's event loop (see EventLoopTaskExecutor).
        let loop = group.next()
        await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
            await session(lease, on: loop)
        }
    }

    private func session(_ lease: SiteLease, on loop: any EventLoop) async {
        defer { Task { await lease.finished() } }
        var connection: SMTPClientConnection?
        var sent = 0
        var pendingFirst: WorkItem?
        // Take the first item before connecting: the domain decides the TLS policy.
        switch await lease.next(sentOnConnection: 0) {
        case .send(let work): pendingFirst = work
        case .wait(let until):
            try? await clock.sleep(until: until)
        case .done, .idle:
            return
        }
        var sessionSettings = settings
        if let first = pendingFirst, let policy = tlsPolicy(first.item.domain) { sessionSettings.tlsPolicy = policy }
        if let address = lease.source.localAddress { sessionSettings.localAddress = address }
        if let name = lease.source.ehloName { sessionSettings.ehloName = name }
        let connected = await connect(lease.plan, settings: sessionSettings, on: loop)
        switch connected {
        case .failure(let outcome):
            if let first = pendingFirst {
                await lease.report(first, outcomes: Array(repeating: outcome, count: first.item.recipients.count))
            }
            await lease.unreachable(outcome)
            return
        case .success(let open):
            connection = open
        }
        guard let connection else { return }
        // What the manager handed out with the last report.
        var handedOut: NextWork?
        while true {
            let work: WorkItem
            if let first = pendingFirst {
                work = first
                pendingFirst = nil
            } else {
                let decision: NextWork
                if let given = handedOut {
                    decision = given
                    handedOut = nil
                } else {
                    decision = await lease.next(sentOnConnection: sent)
                }
                switch decision {
                case .done:
                    await connection.quit()
                    return
                case .idle:
                    if await lease.waitForWork() { continue }
                    await connection.quit()
                    return
                case .wait(let until):
                    try? await clock.sleep(until: until)
                    continue
                case .send(let next):
                    work = next
                }
            }
            let outcomes = await deliver(work, over: connection)
            sent += 1
            guard connection.isActive else {
                await lease.report(work, outcomes: outcomes)
                return
            }
            handedOut = await lease.report(work, outcomes: outcomes, thenNext: sent)
        }
    }

    /// Tries every address of every host in order.
    func connect(_ plan: DeliveryPlan, settings: SMTPClientSettings, on loop: any EventLoop) async -> Result<
        SMTPClientConnection, RecipientOutcome
    > {
        var last = RecipientOutcome.temporary("4.4.1", "no MX host could be reached")
        for host in plan.hosts {
            var hostSettings = settings
            if let relay = host.relay {
                // An upstream relay has its own TLS policy and credentials.
                hostSettings.tlsPolicy = TLSPolicy(rawValue: relay.tls) ?? .required
                if let user = relay.user, let password = relay.password {
                    hostSettings.credentials = .init(user: user, password: password)
                }
            }
            for address in host.addresses {
                do {
                    let connection = try await SMTPClientConnection.connect(
                        host: host.name, address: address, port: host.port, settings: hostSettings, group: loop)
                    return .success(connection)
                } catch {
                    last = Self.outcome(for: error, host: host.name)
                    logger.info(
                        "connect failed",
                        metadata: ["host": "\(host.name)", "address": "\(address)", "error": "\(error)"])
                    // A 5xx greeting is the host's final word for every message (RFC 5321 §3.1);
                    // still try the next host, as a backup may accept.
                }
            }
        }
        return .failure(last)
    }

    static func outcome(for error: SMTPClientError, host: String) -> RecipientOutcome {
        switch error {
        case .greetingRefused(let reply), .heloRefused(let reply):
            var outcome = RecipientOutcome(reply: reply, host: host)
            // A refused greeting is about the connection, not the recipient: retry later.
            if outcome.kind == .permanent { outcome.kind = .temporary }
            return outcome
        case .tlsUnavailable(let reason):
            return .temporary("4.7.10", "TLS required but not available: \(reason)", host: host)
        case .timeout(let stage):
            return .temporary("4.4.2", "timeout waiting for \(stage)", host: host)
        case .connectFailed(let reason):
            return .temporary("4.4.1", "connection failed: \(reason)", host: host)
        case .connectionClosed:
            return .temporary("4.4.2", "connection closed by \(host)", host: host)
        case .authenticationFailed(let reply):
            return .temporary(
                "4.7.8",
                "relay authentication failed" + (reply.map { ": \($0.code) \($0.lines.joined(separator: " "))" } ?? ""),
                host: host)
        case .protocolViolation(let reason):
            return .temporary("4.5.0", "protocol error: \(reason)", host: host)
        }
    }

    /// Sends one item; every recipient gets an outcome.
    func deliver(_ work: WorkItem, over connection: SMTPClientConnection) async -> [RecipientOutcome] {
        let count = work.item.recipients.count
        let envelope = work.message.envelope
        let host = connection.host
        let body: ByteBuffer
        do {
            body = try spool.readBody(work.item.message)
        } catch {
            logger.error("spool read failed", metadata: ["id": "\(work.item.message)", "error": "\(error)"])
            return Array(repeating: .temporary("4.3.0", "local error reading the queue file"), count: count)
        }
        let capabilities = connection.capabilities
        // RFC 6531 §3.4: no SMTPUTF8 message to a server that did not offer it.
        if envelope.smtpUTF8 && !capabilities.smtpUTF8 {
            return Array(
                repeating: .permanent("5.6.7", "\(host) does not support SMTPUTF8, needed by this message", host: host),
                count: count)
        }
        // RFC 1870 §6.1: larger than the server's fixed limit.
        if let limit = capabilities.maximumSize, body.readableBytes > limit {
            return Array(
                repeating: .permanent(
                    "5.3.4", "message size \(body.readableBytes) exceeds \(host)'s limit \(limit)", host: host),
                count: count)
        }
        // RFC 8689 §4.2.1: REQUIRETLS messages only over verified TLS to a server that offers it.
        if envelope.requireTLS {
            let verified: Bool
            if case .established(_, let ok, _) = connection.tlsOutcome { verified = ok } else { verified = false }
            if !verified || !capabilities.requireTLS {
                return Array(
                    repeating: .temporary(
                        "4.7.30", "REQUIRETLS: \(host) offers no verified TLS with REQUIRETLS", host: host),
                    count: count)
            }
        }
        var recipients: [(path: ForwardPath, parameters: RcptParameters)] = []
        for index in work.item.recipients {
            let recipient = envelope.recipients[Int(index)]
            guard let mailbox = EnvelopeConversion.mailbox(recipient.address) else {
                return Array(repeating: .permanent("5.1.3", "bad recipient address syntax"), count: count)
            }
            recipients.append((.mailbox(mailbox), EnvelopeConversion.rcptParameters(recipient)))
        }
        var sender = envelope.sender
        if !sender.isEmpty, let senderRewrite {
            let only = work.item.recipients.count == 1 ? envelope.recipients[Int(work.item.recipients[0])].address : nil
            sender = senderRewrite(work.item.message, only)
        }
        let transaction = ClientTransaction(
            sender: EnvelopeConversion.reversePath(sender),
            mailParameters: EnvelopeConversion.mailParameters(envelope, size: body.readableBytes),
            recipients: recipients, message: body)
        do {
            let result = try await connection.send(transaction)
            return (0..<count).map { RecipientOutcome(reply: result.outcome(forRecipient: $0), host: host) }
        } catch {
            return Array(repeating: Self.outcome(for: error, host: host), count: count)
        }
    }
}
