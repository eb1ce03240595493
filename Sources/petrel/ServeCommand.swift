import ArgumentParser
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PetrelConfig
import SMTPCore
import SMTPServer
import ServiceLifecycle
import Spool
import Webhooks

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the MTA: SMTP listeners and the spool."
    )

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let config = options.load()
        // With TZ unset, glibc's localtime (the log handler calls it for every line) stats
        // /etc/localtime each time to see whether it changed; naming the file once saves that.
        if getenv("TZ") == nil { setenv("TZ", ":/etc/localtime", 0) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = config.log.level.swiftLogLevel
            return handler
        }
        let logger = Logger(label: "petrel")
        let hostname = config.server.effectiveHostname

        try FileManager.default.createDirectory(atPath: config.server.dataDirectory, withIntermediateDirectories: true)
        let (spool, report) = try Spool.open(
            directory: config.spoolDirectory,
            options: SpoolOptions(
                fsync: config.spool.fsync, segmentSize: config.spool.segmentSize,
                // Zero-filled segments written ahead halve the group commit's fdatasync; without fsync
                // there is nothing to gain.
                preallocate: config.spool.fsync),
            logger: Logger(label: "petrel.spool"))
        logger.notice(
            "spool recovered",
            metadata: [
                "directory": "\(config.spoolDirectory)", "messages": "\(report.messages)",
                "torn": "\(report.tornRecords)", "quarantined": "\(report.quarantined)",
            ])

        let tlsContext = try TLSMaterial.serverContext(config: config, hostname: hostname, logger: logger)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let dnsPool = NIOThreadPool(numberOfThreads: 8)
        dnsPool.start()
        let database = try SuppressionSetup.database(config: config)
        let suppression = try SuppressionSetup(config: config, database: database, createKey: true)
        logger.notice("suppression list loaded", metadata: ["addresses": "\(suppression.store.count)"])
        var webhookSettings = WebhookDispatcher.Settings()
        webhookSettings.firstRetry = config.webhooks.firstRetry.seconds
        webhookSettings.maxRetry = config.webhooks.maxRetry.seconds
        webhookSettings.maxAttempts = config.webhooks.maxAttempts
        webhookSettings.timeout = config.webhooks.timeout.seconds
        let dispatcher = WebhookDispatcher(
            store: WebhookStore(database: database.pool), settings: webhookSettings,
            logger: Logger(label: "petrel.webhooks"))
        let webhooks = WebhookEvents(dispatcher: dispatcher, logger: Logger(label: "petrel.webhooks"))
        let metrics = ServerMetrics()
        let delivery = try DeliveryStack.make(
            config: config, hostname: hostname, spool: spool, group: group, dnsPool: dnsPool, database: database,
            suppression: suppression, webhooks: webhooks, metrics: metrics, logger: logger)
        let manager = delivery.manager
        var sink = SpoolSink(spool: spool)
        sink.metrics = metrics
        if let policy = try DKIMSigningSetup.policy(from: config.dkim) {
            sink.sign = DKIMSigningSetup.signer(policy: policy, logger: Logger(label: "petrel.dkim"))
            sink.signingPool = threadPool
            logger.notice("DKIM signing for \(config.dkim.domains.map(\.name).joined(separator: ", "))")
        }
        if config.delivery.enabled {
            let feed = StoredMessageFeed(spool: spool, manager: manager)
            sink.onStored = { id in feed.stored(id) }
        }

        let server = SMTPServerService(
            settings: ServerSettings(config: config, hostname: hostname),
            listeners: config.listeners.map(ListenerSettings.init(config:)),
            tlsContext: tlsContext,
            sink: sink,
            authenticator: ConfigAuthenticator(users: config.users),
            group: group, threadPool: threadPool, logger: Logger(label: "petrel.smtp"))
        let campaigns = try CampaignStack.make(
            config: config, database: database, spool: spool, manager: config.delivery.enabled ? manager : nil,
            suppression: suppression, sign: sink.sign, testClock: delivery.testClock, webhooks: webhooks,
            metrics: { await metrics.render(server: server, spool: spool, manager: manager) }, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: SpoolService(spool: spool)), .init(service: WebhookService(dispatcher: dispatcher)),
        ]
        if config.delivery.enabled {
            services.append(.init(service: QueueService(manager: manager, log: delivery.log)))
        }
        services.append(
            .init(
                service: SuppressionRefreshService(
                    store: suppression.store, logger: Logger(label: "petrel.suppression"))))
        services.append(
            .init(
                service: ControlService(
                    path: ControlService.socketPath(dataDirectory: config.server.dataDirectory), manager: manager,
                    spool: spool, reporter: delivery.reporter, suspendedFile: delivery.suspendedFile,
                    testClock: delivery.testClock, group: group,
                    logger: logger)))
        // Services stop in reverse order: the SMTP listeners first (SIGTERM stops accepting at once), then the
        // HTTP API and the campaign scheduler, then the queue and the spool.
        services += campaigns.services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        services.append(.init(service: server))
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await serviceGroup.run()
        try? await dnsPool.shutdownGracefully()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
        logger.notice("stopped")
    }
}

extension ServerSettings {
    init(config: PetrelConfiguration, hostname: String) {
        var limits = SMTPLimits()
        limits.maxCommandLine = config.limits.maxCommandLine
        limits.maxTextLine = config.limits.maxTextLine
        limits.maxMessageSize = config.limits.maxMessageSize
        limits.maxRecipients = config.limits.maxRecipients
        limits.maxErrors = config.limits.maxErrors
        limits.maxAuthFailures = config.limits.maxAuthFailures
        limits.commandTimeout = config.limits.commandTimeout
        limits.dataBlockTimeout = config.limits.dataBlockTimeout
        limits.dataTimeout = config.limits.dataTimeout
        let trusted = config.relay.trustedNetworks
        // Bounce domains take mail from anyone, like local domains; the queue hands it to the bounce processor.
        let local = Set(config.relay.localDomains + config.bounces.domains)
        self.init(
            hostname: hostname, limits: limits, maxConnections: config.limits.maxConnections,
            maxConnectionsPerIP: config.limits.maxConnectionsPerIP,
            isTrustedClient: { address in trusted.contains { $0.contains(address) } },
            isLocalDomain: { local.contains($0) },
            shutdownGrace: config.server.shutdownGrace)
    }
}

extension ListenerSettings {
    init(config: ListenerConfig) {
        let mode: Mode =
            switch config.mode {
            case .relay: .relay
            case .submission: .submission
            case .inbound: .inbound
            }
        self.init(
            name: config.name, host: config.address.host, port: config.address.port, mode: mode,
            offersTLS: config.tls == .starttls, requireTLS: config.requireTLS,
            allowPlaintextAuth: config.allowPlaintextAuth)
    }
}

extension LogLevel {
    var swiftLogLevel: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
