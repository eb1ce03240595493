import Campaigns
import Foundation
import HTTPAPI
import Logging
import NIOCore
import PetrelConfig
import Queue
import ServiceLifecycle
import Spool
import Storage
import Suppression
import Webhooks

/// The campaign layer and the HTTP server wired from configuration: ledger settled, runner, scheduler,
/// HTTP application.
struct CampaignStack {
    let runner: CampaignRunner
    let services: [any Service]

    static func make(
        config: PetrelConfiguration, database: PetrelDatabase, spool: Spool, manager: QueueManager?,
        suppression: SuppressionSetup, sign: (@Sendable (ByteBuffer, String?) -> String?)?,
        testClock: ManualQueueClock?, webhooks: WebhookEvents?, metrics: (@Sendable () async -> String)?,
        logger: Logger
    ) throws -> CampaignStack {
        let sink = SpoolCampaignSink(spool: spool, manager: manager, sign: sign)
        // Before the queue loads the spool: a pending ledger row whose message is spooled must be marked
        // queued before that message can be delivered and leave the spool.
        let settled = try CampaignLedger(database: database).settle { sink.isSpooled(queueID: $0) }
        if settled.stored + settled.released > 0 {
            logger.notice(
                "campaign ledger settled", metadata: ["stored": "\(settled.stored)", "resent": "\(settled.released)"])
        }
        let key =
            try SuppressionSetup.secretKey(
                file: config.http.trackingKeyFile, default: "tracking.key", config: config, create: true,
                label: "tracking") ?? []
        let tokens = TrackingTokens(key: key)
        let links = TrackingLinks(baseURL: config.http.effectivePublicURL, tokens: tokens)
        var settings = CampaignRunner.Settings()
        let store = suppression.store
        // `lookup` answers from the in-memory index and reads SQLite only on a hit.
        settings.isSuppressed = { address in ((try? store.lookup(address)) ?? nil) != nil }
        settings.onFinished = { campaignID, messages in
            webhooks?.publish(.campaignFinished, ["campaign_id": .int(Int(campaignID)), "messages": .int(messages)])
        }
        let runner = CampaignRunner(
            store: CampaignStore(database: database), ledger: CampaignLedger(database: database),
            audience: CampaignAudienceQuery(database: database),
            composer: TemplateCampaignComposer(database: database, links: links), sink: sink, settings: settings,
            logger: Logger(label: "petrel.campaign"))
        var hooks = AutomationEngine.Hooks()
        hooks.isSuppressed = settings.isSuppressed
        hooks.stepDone = { automation, run, step in
            webhooks?.publish(
                .automationStepDone,
                [
                    "automation_id": .int(Int(automation.id)), "automation": .string(automation.name),
                    "run_id": .int(Int(run.id)), "contact_id": .int(Int(run.contactID)), "step": .string(step),
                    "position": .int(run.position), "state": .string(run.state.rawValue),
                ])
        }
        if let webhooks {
            let dispatcher = webhooks.dispatcher
            let store = dispatcher.store
            hooks.callWebhook = { url, data in
                let webhook = try store.stepWebhook(url: url)
                try await dispatcher.publish(
                    .automationStepDone,
                    data: data.mapValues { .string($0) }.merging(["step": .string("webhook")]) {
                        $1
                    }, to: webhook.id)
            }
        }
        let automations = AutomationEngine(
            database: database, composer: TemplateCampaignComposer(database: database, links: links), sink: sink,
            hooks: hooks, logger: Logger(label: "petrel.automation"))
        var services: [any Service] = [
            CampaignSchedulerService(runner: runner),
            AutomationService(engine: automations, now: { testClock?.now() ?? Date() }),
        ]
        if config.http.enabled {
            let window = config.http.machineWindow
            let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
            var dependencies = APIDependencies(
                database: database, runner: runner, suppression: suppression.store,
                normalization: SuppressionSetup.normalization(config: config),
                publicURL: config.http.effectivePublicURL,
                tokens: tokens,
                classifier: MachineActivityClassifier(minimumOpenDelay: seconds, minimumClickDelay: seconds),
                confirmationFrom: "noreply@\(config.server.effectiveHostname)",
                messages: SpoolTransactionalSink(spool: spool, manager: manager, sign: sign, database: database))
            dependencies.webhookDispatcher = webhooks?.dispatcher
            dependencies.metrics = metrics
            dependencies.onActivity = { activity in
                var data: [String: JSONValue] = [
                    "campaign_id": .int(Int(activity.campaignID)), "contact_id": .int(Int(activity.contactID)),
                ]
                if !activity.email.isEmpty { data["email"] = .string(activity.email) }
                if !activity.link.isEmpty { data["link"] = .string(activity.link) }
                if activity.kind != .unsubscribed {
                    data["machine"] = .bool(activity.machine != nil)
                    if let reason = activity.machine { data["machine_reason"] = .string(reason) }
                }
                let event: WebhookEvent =
                    switch activity.kind {
                    case .opened: .opened
                    case .clicked: .clicked
                    case .unsubscribed: .unsubscribed
                    }
                webhooks?.publish(event, data)
            }
            services.append(
                APIServer.application(
                    dependencies, host: config.http.listen.host, port: config.http.listen.port,
                    logger: Logger(label: "petrel.http")))
            logger.notice("HTTP API on http://\(config.http.listen)/api/v1")
        }
        return CampaignStack(runner: runner, services: services)
    }
}

/// Resumes campaigns left sending, then starts scheduled ones when their time comes (checked every second).
struct CampaignSchedulerService: Service {
    let runner: CampaignRunner

    func run() async throws {
        await runner.recover()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await runner.startDue()
                await runner.advanceABTests()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        // Before the queue and the spool stop: batches in flight finish, sending campaigns stay `sending`.
        await runner.shutdown()
    }
}

/// Transactional messages from the API: signed like SMTP submissions, spooled (the 202 follows the fsync),
/// queued.
struct SpoolTransactionalSink: TransactionalMessageSink {
    let spool: Spool
    let manager: QueueManager?
    let sign: (@Sendable (ByteBuffer, String?) -> String?)?
    let database: PetrelDatabase

    func submit(sender: String, recipients: [String], body: [UInt8], tenant: String?) async throws -> String {
        var envelope = SpoolEnvelope(
            sender: sender, recipients: recipients.map { SpoolRecipient(address: $0) }, arrival: .now)
        if let tenant { envelope.attributes["tenant"] = tenant }
        let signed = DKIMSigningSetup.signed(ByteBuffer(bytes: body), tenant: tenant, by: sign)
        let id = try await spool.append(envelope: envelope, body: signed)
        if let manager, let message = spool.message(id) { await manager.enqueue(message) }
        return id.description
    }

    func render(template id: Int64, version: Int?, to: String, data: [String: String]) throws -> (
        subject: String, html: String, text: String
    ) {
        let store = TemplateStore(database: database)
        let stored = try version.map { try store.get(id: id, version: $0) } ?? store.get(id: id)
        guard let stored else { throw CampaignStoreError.invalid(field: "template_id", reason: "no template \(id)") }
        let renderer = try TemplateRenderer(stored.template)
        let context = RenderContext(
            email: to, firstName: data["first_name"] ?? "", lastName: data["last_name"] ?? "", fields: data,
            campaignData: data)
        let rendered = renderer.render(context)
        return (rendered.subject, rendered.html, rendered.text)
    }
}

/// Enrols contacts in automations and advances their runs, every second, on the queue's clock (the test
/// clock under PETREL_TEST_CLOCK=1, so tests pass days of waits with `CLOCK ADVANCE`).
struct AutomationService: Service {
    let engine: AutomationEngine
    let now: @Sendable () -> Date

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await engine.tick(now: now())
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
