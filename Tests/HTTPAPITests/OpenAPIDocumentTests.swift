import Campaigns
import Foundation
import Storage
import Suppression
import Testing

@testable import HTTPAPI

/// The OpenAPI document and the router describe the same operations: a route added without documenting it,
/// or documented and not served, fails here.
@Suite struct OpenAPIDocumentTests {
    struct NoSink: CampaignMessageSink {
        func makeQueueID() -> String { "" }
        func store(_ messages: [CampaignMessage]) async throws {}
        func release(queueIDs: [String]) async {}
        func isSpooled(queueID: String) -> Bool { false }
    }

    static func dependencies() throws -> APIDependencies {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("petrel-openapi-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try PetrelDatabase(path: directory.appendingPathComponent("petrel.sqlite").path)
        let tokens = TrackingTokens(key: Array(repeating: 7, count: 32))
        let runner = CampaignRunner(
            store: CampaignStore(database: database), ledger: CampaignLedger(database: database),
            audience: CampaignAudienceQuery(database: database),
            composer: TemplateCampaignComposer(
                database: database, links: TrackingLinks(baseURL: "http://127.0.0.1:8025", tokens: tokens)),
            sink: NoSink())
        return APIDependencies(
            database: database, runner: runner, suppression: try SuppressionStore(database: database),
            normalization: AddressNormalization(), publicURL: "http://127.0.0.1:8025", tokens: tokens,
            classifier: MachineActivityClassifier(), confirmationFrom: "noreply@petrel.test", messages: nil)
    }

    @Test func documentMatchesRoutes() throws {
        let router = APIServer.router(try Self.dependencies())
        let served = Set(
            router.routes.map { "\($0.method.rawValue) \($0.path.description)" }
                .filter { $0.contains(" /api/v1/") })
        // Hummingbird describes `:id` parameters as `{id}`, as OpenAPI writes them.
        let documented = Set(
            OpenAPIDocument.operations.map { "\($0.method.uppercased()) /api/v1\($0.path)" })
        #expect(served.subtracting(documented).sorted() == [], "served, not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented, not served")
        #expect(served.count > 40)
    }

    @Test func documentIsOpenAPI31() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(object["openapi"] as? String == "3.1.0")
        let paths = try #require(object["paths"] as? [String: Any])
        #expect(paths["/campaigns/{id}/send"] != nil)
        // Every $ref points at a schema that exists.
        let schemas = try #require((object["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let references = OpenAPIDocument.json.components(separatedBy: "#/components/schemas/").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        for name in Set(references) { #expect(schemas[name] != nil, "missing schema \(name)") }
    }
}
