import Campaigns
import Foundation
import Hummingbird
import Logging
import MailMessage
import Storage
import Suppression
import Webhooks

/// What the HTTP server serves from: the database and the parts of the running server.
public struct APIDependencies: Sendable {
    public var database: PetrelDatabase
    public var runner: CampaignRunner
    public var suppression: SuppressionStore
    public var normalization: AddressNormalization
    /// The base of links in mail, e.g. `http://127.0.0.1:8025`.
    public var publicURL: String
    /// Signs and checks the tokens of tracking, unsubscribe, preference and confirmation links.
    public var tokens: TrackingTokens
    /// Tells machine opens and clicks from human ones.
    public var classifier: MachineActivityClassifier
    /// The sender of double opt-in confirmation mail.
    public var confirmationFrom: String
    /// Transactional messages (`POST /api/v1/messages`, double opt-in mail); nil: 503.
    public var messages: (any TransactionalMessageSink)?
    /// Opens, clicks and unsubscribes, for webhooks.
    public var onActivity: (@Sendable (CampaignActivity) -> Void)?
    /// `/api/v1/webhooks`'s retry; nil: 503.
    public var webhookDispatcher: WebhookDispatcher?
    /// `GET /api/v1/metrics`: the server's metrics in the Prometheus text format; nil: 503.
    public var metrics: (@Sendable () async -> String)?

    public init(
        database: PetrelDatabase, runner: CampaignRunner, suppression: SuppressionStore,
        normalization: AddressNormalization, publicURL: String, tokens: TrackingTokens,
        classifier: MachineActivityClassifier, confirmationFrom: String, messages: (any TransactionalMessageSink)?
    ) {
        self.database = database
        self.runner = runner
        self.suppression = suppression
        self.normalization = normalization
        self.publicURL = publicURL
        self.tokens = tokens
        self.classifier = classifier
        self.confirmationFrom = confirmationFrom
        self.messages = messages
    }
}

/// Builds the HTTP application: `/api/v1` behind API keys, the public tracking and unsubscribe pages beside it.
public enum APIServer {
    public static func router(_ dependencies: APIDependencies) -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        let api = router.group("api/v1")
            .add(middleware: AuthMiddleware(keys: APIKeyStore(database: dependencies.database)))
        let database = dependencies.database
        let contacts = ContactStore(database: database, normalization: dependencies.normalization)
        let links = TrackingLinks(baseURL: dependencies.publicURL, tokens: dependencies.tokens)
        let messages = dependencies.messages
        let from = dependencies.confirmationFrom
        ContactsController(
            store: contacts, segments: SegmentStore(database: database),
            sendConfirmation: { contact in
                guard let messages else { return }
                let url = links.confirmURL(contact: contact.id ?? 0)
                let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
                let mail = MailComposer(
                    from: from, to: contact.email, subject: "Please confirm your subscription",
                    messageID: MessageIDGenerator.make(domain: domain),
                    headers: [("Auto-Submitted", "auto-generated")],
                    text: "Please confirm that you want to receive our mail:\n\n\(url)\n\n"
                        + "If you did not ask for it, ignore this message: nothing more will be sent.\n",
                    html: "<p>Please confirm that you want to receive our mail:</p><p><a href=\"\(url)\">Confirm my "
                        + "subscription</a></p><p>If you did not ask for it, ignore this message: nothing more will "
                        + "be sent.</p>")
                _ = try await messages.submit(
                    sender: from, recipients: [contact.email], body: mail.bytes(), tenant: nil)
            }
        ).register(api)
        ListsController(store: ListStore(database: database)).register(api)
        SegmentsController(store: SegmentStore(database: database), contacts: contacts).register(api)
        ImportsController(database: database, normalization: dependencies.normalization).register(api)
        CampaignsController(
            store: CampaignStore(database: database), runner: dependencies.runner,
            contacts: contacts,
            analytics: { try CampaignAnalytics.load(campaignID: $0, database: database) }
        ).register(api)
        AutomationsController(store: AutomationStore(database: database), contacts: contacts).register(api)
        SuppressionController(store: dependencies.suppression).register(api)
        MessagesController(sink: dependencies.messages, database: database).register(api)
        TemplatesController(store: TemplateStore(database: database)).register(api)
        WebhooksController(
            store: dependencies.webhookDispatcher?.store ?? WebhookStore(database: database.pool),
            dispatcher: dependencies.webhookDispatcher
        ).register(api)
        TrackingController(
            tokens: dependencies.tokens,
            tracking: CampaignTracking(
                database: database, classifier: dependencies.classifier, suppression: dependencies.suppression,
                onActivity: dependencies.onActivity),
            database: database, contacts: contacts
        ).register(router)
        let metrics = dependencies.metrics
        api.get("metrics") { _, _ in
            guard let metrics else {
                throw APIError(.serviceUnavailable, code: "unavailable", "metrics are not kept in this process")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: await metrics())))
        }
        api.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        return router
    }

    /// The application as a service for the server's service group.
    public static func application(
        _ dependencies: APIDependencies, host: String, port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router(dependencies),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Petrel"),
            logger: logger)
    }
}
