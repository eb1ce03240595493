import Campaigns
import DKIM
import Delivery
import Foundation
import Logging
import MailDNS
import NIOCore
import NIOPosix
import PetrelConfig
import Queue
import SMTPClient
import ServiceLifecycle
import Spool
import Storage
import Suppression

/// The outbound side wired from configuration: resolver, planner, shaping,
/// connection runner, DSN reporter and the queue manager.
struct DeliveryStack {
    let manager: QueueManager
    let log: DeliveryLog
    let reporter: DeliveryReporter
    let suspendedFile: String
    let testClock: ManualQueueClock?

    static func make(
        config: PetrelConfiguration, hostname: String, spool: Spool, group: any EventLoopGroup,
        dnsPool: NIOThreadPool, database: PetrelDatabase, suppression: SuppressionSetup, webhooks: WebhookEvents?,
        metrics: ServerMetrics?, logger: Logger
    ) throws -> DeliveryStack {
        let delivery = config.delivery
        var dnsConfiguration = LDNSResolver.Configuration()
        if let spec = SocketAddressSpec(delivery.resolver), !delivery.resolver.isEmpty {
            dnsConfiguration.nameservers = [spec.host]
            dnsConfiguration.port = spec.port
        }
        let resolver = CachingResolver(
            upstream: try LDNSResolver(
                configuration: dnsConfiguration, threadPool: dnsPool, logger: Logger(label: "petrel.dns")),
            policy: DNSCachePolicy(minimumTTL: delivery.dnsMinimumTTL))
        let direct = MXRoutePlanner(
            planner: MXPlanner(resolver: resolver, localHostNames: [hostname]), port: delivery.port)
        let routed = RoutedPlanner(
            routes: config.routes.map { route in
                RoutedPlanner.Route(
                    domains: route.domains, tenant: route.tenant, hops: route.relays,
                    relay: RelaySettings(
                        tls: route.tls.rawValue, user: route.authUser.isEmpty ? nil : route.authUser,
                        password: route.authPassword.isEmpty ? nil : route.authPassword))
            }, direct: direct, resolver: resolver)
        let planner = BounceDomainPlanner(bounces: config.bounces, next: routed)
        let sources = Dictionary(
            config.sources.map { source in
                (
                    source.name,
                    EgressSource(
                        name: source.name, localAddress: source.address.isEmpty ? nil : source.address,
                        ehloName: source.ehloName.isEmpty ? nil : source.ehloName, warmupStart: source.warmupStart)
                )
            }, uniquingKeysWith: { first, _ in first })
        let egress = EgressPolicy(
            pools: Dictionary(
                config.pools.map { pool in
                    (
                        pool.name,
                        EgressPool(
                            name: pool.name,
                            members: pool.sources.compactMap { member in
                                sources[member.source].map { ($0, member.weight) }
                            })
                    )
                }, uniquingKeysWith: { first, _ in first }),
            tenantPools: config.tenantPools, campaignPools: config.campaignPools)
        let shaping = delivery.shaping.isEmpty ? ShapingConfig.builtIn : try ShapingConfig.load(path: delivery.shaping)
        let retry = RetrySchedule(
            initial: delivery.retryInitial, factor: delivery.retryFactor, maximum: delivery.retryMax,
            maxAge: delivery.maxAge)
        // PETREL_TEST_CLOCK=1: queue time moves only by `CLOCK ADVANCE` on the
        // control socket, so tests drive retries and expiry without sleeping.
        let manualClock =
            ProcessInfo.processInfo.environment["PETREL_TEST_CLOCK"] == "1" ? ManualQueueClock(start: Date()) : nil
        let clock: any QueueClock = manualClock ?? SystemQueueClock()
        let reporter = DeliveryReporter(
            spool: spool, hostname: hostname, clock: clock, retry: retry, logger: Logger(label: "petrel.dsn"))
        let log = DeliveryLog(database: database)
        let tlsPolicy: TLSPolicy =
            switch delivery.tls {
            case .opportunistic: .opportunistic
            case .required: .required
            case .disabled: .disabled
            }
        let verp = config.bounces.verp ? suppression.verp : nil
        let remote = DirectMXRunner(
            spool: spool,
            settings: SMTPClientSettings(
                ehloName: delivery.ehloName.isEmpty ? hostname : delivery.ehloName, tlsPolicy: tlsPolicy,
                verifyCertificates: delivery.verifyCertificates),
            group: group, clock: clock, logger: Logger(label: "petrel.smtp-out"),
            tlsPolicy: { domain in
                shaping.tlsPolicy(domain: domain).map { mode in
                    switch mode {
                    case .opportunistic: .opportunistic
                    case .required: .required
                    case .disabled: .disabled
                    }
                }
            },
            senderRewrite: verp.map { codec in
                { @Sendable id, recipient in codec.address(queueID: id.description, recipient: recipient) }
            })
        let intake = BounceIntake(
            recorder: suppression.recorder, verp: suppression.verp,
            recipientsOf: { id in
                // Still queued (a delay notice, a bounce racing the delivery report): the envelope says.
                if let queueID = QueueID(id), let message = spool.message(queueID) {
                    return message.envelope.recipients.map(\.address)
                }
                return try await log.recipients(queueID: id)
            })
        let runner = SplitRunner(
            processor: BounceIntakeRunner(
                spool: spool, intake: intake, verifier: DKIMVerifier(resolver: DKIMDNSKeyResolver(resolver: resolver)),
                authservID: hostname, ledger: CampaignLedger(database: database), webhooks: webhooks,
                logger: Logger(label: "petrel.bounces")),
            remote: remote)
        let suspendedFile = (config.server.dataDirectory as NSString).appendingPathComponent("suspended-domains")
        let manager = QueueManager(
            spool: spool, planner: planner, runner: runner, shaping: shaping, retry: retry,
            delayWarning: delivery.delayWarning, clock: clock,
            events: DeliveryEventsFanout(
                reporter: reporter, log: log, recorder: suppression.recorder,
                ledger: CampaignLedger(database: database), webhooks: webhooks, metrics: metrics), egress: egress,
            suspendedDomains: SuspendedDomains.load(suspendedFile),
            suppression: StoreSuppression(store: suppression.store, logger: Logger(label: "petrel.suppression")),
            taskExecutor: EventLoopTaskExecutor(group.next()), logger: Logger(label: "petrel.queue"))
        reporter.attach(manager)
        if manualClock != nil { logger.warning("PETREL_TEST_CLOCK=1: queue time is driven by CLOCK ADVANCE") }
        return DeliveryStack(
            manager: manager, log: log, reporter: reporter, suspendedFile: suspendedFile, testClock: manualClock)
    }
}

/// Picks up suppression entries another process (`petrel suppression add`, `petrel bounces import`) wrote.
struct SuppressionRefreshService: Service {
    let store: SuppressionStore
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                do {
                    try store.refresh()
                } catch {
                    logger.warning("suppression refresh failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// Runs the queue manager's loop until shutdown.
struct QueueService: Service {
    let manager: QueueManager
    let log: DeliveryLog

    func run() async throws {
        await manager.recover()
        await cancelWhenGracefulShutdown {
            await manager.run()
        }
        await manager.drain()
        await log.flush()
    }
}

/// Suspended domains, one per line, kept across restarts.
enum SuspendedDomains {
    static func load(_ path: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return Set(
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty })
    }

    static func save(_ domains: Set<String>, to path: String) throws {
        let text = domains.sorted().map { $0 + "\n" }.joined()
        let temporary = path + ".tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, path)
    }
}
