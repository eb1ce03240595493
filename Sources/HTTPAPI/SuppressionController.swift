import Campaigns
import Foundation
import Hummingbird
import Suppression

/// `/api/v1/suppression`: list (by id, `?after=`, `?kind=`), look up, add, remove.
struct SuppressionController {
    let store: SuppressionStore

    struct JSON: Encodable {
        var id: Int64?
        var address: String
        var kind: String
        var reason: String
        var source: String
        var time: Date
        var detail: String

        init(_ entry: SuppressionEntry) {
            id = entry.id
            address = entry.address
            kind = entry.kind.rawValue
            reason = entry.reason
            source = entry.source
            time = entry.time
            detail = entry.detail
        }
    }

    struct Body: Decodable {
        var address: String
        var kind: String?
        var reason: String?
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("suppression") { request, _ in
            let query = request.uri.queryParameters
            var after: Int64 = 0
            if let text = query["after"] {
                guard let value = Int64(text), value >= 0 else {
                    throw APIError.invalid("after", "after: expected an id")
                }
                after = value
            }
            var kind: SuppressionEntry.Kind?
            if let text = query["kind"] {
                guard let value = SuppressionEntry.Kind(rawValue: String(text)) else {
                    throw APIError.invalid(
                        "kind", "kind: expected hard-bounce, soft-bounce, complaint, unsubscribe or manual")
                }
                kind = value
            }
            var limit = 100
            if let text = query["limit"] {
                guard let value = Int(text), (1...1000).contains(value) else {
                    throw APIError.invalid("limit", "limit: expected 1 to 1000")
                }
                limit = value
            }
            let entries = try store.entries(after: after, limit: limit, kind: kind)
            return JSONBody.response(["items": entries.map(JSON.init)])
        }
        router.get("suppression/:address") { _, context in
            guard let address = context.parameters.get("address"), let entry = try store.lookup(address) else {
                throw APIError.notFound("suppressed address")
            }
            return JSONBody.response(JSON(entry))
        }
        router.post("suppression") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            if let problem = EmailSyntax.problem(body.address) {
                throw APIError.invalid("address", "address: \(problem)")
            }
            let kind = SuppressionEntry.Kind(rawValue: body.kind ?? "manual")
            guard let kind else {
                throw APIError.invalid(
                    "kind", "kind: expected hard-bounce, soft-bounce, complaint, unsubscribe or manual")
            }
            let result = try store.add(
                SuppressionEntry(
                    address: body.address, kind: kind, reason: body.reason ?? "added over the API", source: "api",
                    time: Date()))
            return JSONBody.response(JSON(result.entry), status: result.added ? .created : .ok)
        }
        router.delete("suppression/:address") { _, context in
            guard let address = context.parameters.get("address"), try store.remove(address) != nil else {
                throw APIError.notFound("suppressed address")
            }
            return Response(status: .noContent)
        }
    }
}
