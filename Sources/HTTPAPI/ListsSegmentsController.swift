import Campaigns
import Foundation
import Hummingbird

/// `/api/v1/lists`: lists with member counts; members added and removed by contact id.
struct ListsController {
    let store: ListStore

    struct Body: Decodable { var name: String }
    struct Members: Decodable {
        var contactIds: [Int64]
        enum CodingKeys: String, CodingKey {
            case contactIds = "contact_ids"
        }
    }

    struct JSON: Encodable {
        var id: Int64
        var name: String
        var members: Int
        var created: Date
        init(_ list: ContactList) {
            id = list.id
            name = list.name
            members = list.members
            created = list.created
        }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("lists") { _, _ in
            let lists = try store.all()
            return JSONBody.response(
                Page(items: lists.map(JSON.init), total: lists.count, page: 1, perPage: lists.count))
        }
        router.post("lists") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            return JSONBody.response(JSON(try store.create(name: body.name)), status: .created)
        }
        router.get("lists/:id") { _, context in
            let id = try context.parameters.id()
            guard let list = try store.list(id: id) else { throw APIError.notFound("list \(id)") }
            return JSONBody.response(JSON(list))
        }
        router.patch("lists/:id") { request, context in
            let body = try await JSONBody.decode(Body.self, from: request)
            return JSONBody.response(JSON(try store.rename(try context.parameters.id(), to: body.name)))
        }
        router.delete("lists/:id") { _, context in
            try store.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        router.post("lists/:id/members") { request, context in
            let body = try await JSONBody.decode(Members.self, from: request)
            let added = try store.add(body.contactIds, to: try context.parameters.id())
            return JSONBody.response(["added": added])
        }
        router.post("lists/:id/members/remove") { request, context in
            let body = try await JSONBody.decode(Members.self, from: request)
            let removed = try store.remove(body.contactIds, from: try context.parameters.id())
            return JSONBody.response(["removed": removed])
        }
    }
}

/// `/api/v1/segments`: saved condition trees, with a count and a preview; `POST /segments/count` counts a
/// definition without saving it.
struct SegmentsController {
    let store: SegmentStore
    let contacts: ContactStore

    struct Body: Decodable {
        var name: String?
        var definition: AnyJSON?
    }

    struct JSON: Encodable {
        var id: Int64
        var name: String
        var definition: AnyJSON
        var created: Date
        var updated: Date
        init(_ segment: SavedSegment) {
            id = segment.id
            name = segment.name
            definition = AnyJSON(text: segment.definition)
            created = segment.created
            updated = segment.updated
        }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("segments") { _, _ in
            let all = try store.all()
            return JSONBody.response(Page(items: all.map(JSON.init), total: all.count, page: 1, perPage: all.count))
        }
        router.post("segments") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            guard let name = body.name else { throw APIError.invalid("name", "name: required") }
            guard let definition = body.definition else { throw APIError.invalid("definition", "definition: required") }
            return JSONBody.response(JSON(try store.create(name: name, definition: definition.text)), status: .created)
        }
        router.post("segments/count") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            guard let definition = body.definition else { throw APIError.invalid("definition", "definition: required") }
            return JSONBody.response(["count": try contacts.count(segment: try Segment(json: definition.text))])
        }
        router.get("segments/:id") { _, context in
            let id = try context.parameters.id()
            guard let segment = try store.segment(id: id) else { throw APIError.notFound("segment \(id)") }
            return JSONBody.response(JSON(segment))
        }
        let update: @Sendable (Request, APIContext) async throws -> Response = { request, context in
            let body = try await JSONBody.decode(Body.self, from: request)
            return JSONBody.response(
                JSON(try store.update(try context.parameters.id(), name: body.name, definition: body.definition?.text)))
        }
        router.patch("segments/:id", use: update)
        router.put("segments/:id", use: update)
        router.delete("segments/:id") { _, context in
            try store.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        router.get("segments/:id/count") { _, context in
            let started = Date()
            let count = try store.count(try context.parameters.id())
            return JSONBody.response(CountJSON(count: count, seconds: Date().timeIntervalSince(started)))
        }
        router.get("segments/:id/preview") { request, context in
            var limit = 10
            if let text = request.uri.queryParameters["limit"] {
                guard let value = Int(text), (1...100).contains(value) else {
                    throw APIError.invalid("limit", "limit: expected 1 to 100")
                }
                limit = value
            }
            let items = try store.preview(try context.parameters.id(), limit: limit)
            return JSONBody.response(["items": items.map { ContactsController.JSON($0) }])
        }
    }

    struct CountJSON: Encodable {
        var count: Int
        var seconds: Double
    }
}

/// Any JSON value, kept as its text: segment definitions pass through to `Segment(json:)`, which names the
/// offending member of a bad one.
struct AnyJSON: Codable, Sendable {
    var text: String

    init(text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        let data = try JSONEncoder().encode(value)
        text = String(decoding: data, as: UTF8.self)
    }

    func encode(to encoder: any Encoder) throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        try value.encode(to: encoder)
    }
}

/// A JSON value tree (for passing arbitrary JSON through Codable).
indirect enum JSONValue: Codable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
