import Campaigns
import Foundation
import Hummingbird
import Logging
import Storage
import Suppression

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
    /// Transactional messages (`POST /api/v1/messages`, double opt-in mail); nil: 503.
    public var messages: (any TransactionalMessageSink)?

    public init(
        database: PetrelDatabase, runner: CampaignRunner, suppression: SuppressionStore,
        normalization: AddressNormalization, publicURL: String, tokens: TrackingTokens,
        classifier: MachineActivityClassifier, messages: (any TransactionalMessageSink)?
    ) {
        self.database = database
        self.runner = runner
        self.suppression = suppression
        self.normalization = normalization
        self.publicURL = publicURL
        self.tokens = tokens
        self.classifier = classifier
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
        CampaignsController(
            store: CampaignStore(database: database), runner: dependencies.runner,
            contacts: ContactStore(database: database),
            analytics: { try CampaignAnalytics.load(campaignID: $0, database: database) }
        ).register(api)
        SuppressionController(store: dependencies.suppression).register(api)
        MessagesController(sink: dependencies.messages, database: database).register(api)
        TemplatesController(store: TemplateStore(database: database)).register(api)
        TrackingController(
            tokens: dependencies.tokens,
            tracking: CampaignTracking(
                database: database, classifier: dependencies.classifier, suppression: dependencies.suppression),
            database: database, confirm: { _ in false }
        ).register(router)
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
