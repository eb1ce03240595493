import Campaigns
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/contacts`: create (with consent, optionally double opt-in), read, update, delete, GDPR erase,
/// paginated listing with filters, export as CSV or JSON Lines.
struct ContactsController {
    let store: ContactStore
    let segments: SegmentStore
    /// Sends the double opt-in mail for a new pending contact.
    let sendConfirmation: @Sendable (Contact) async throws -> Void

    struct CreateBody: Decodable {
        var email: String
        var firstName: String?
        var lastName: String?
        var status: ContactStatus?
        var tags: [String]?
        var fields: [String: String]?
        var lists: [String]?
        var doubleOptIn: Bool?
        var consentSource: String?

        enum CodingKeys: String, CodingKey {
            case email
            case firstName = "first_name"
            case lastName = "last_name"
            case status
            case tags
            case fields
            case lists
            case doubleOptIn = "double_opt_in"
            case consentSource = "consent_source"
        }
    }

    struct PatchBody: Decodable {
        var email: String?
        var firstName: String?
        var lastName: String?
        var status: ContactStatus?
        var tags: [String]?
        var fields: [String: String?]?
        var lists: [String]?

        enum CodingKeys: String, CodingKey {
            case email
            case firstName = "first_name"
            case lastName = "last_name"
            case status
            case tags
            case fields
            case lists
        }
    }

    struct JSON: Encodable {
        var id: Int64
        var email: String
        var firstName: String
        var lastName: String
        var status: String
        var tags: [String]
        var fields: [String: String]
        var lists: [String]?
        var created: Date
        var updated: Date

        init(_ contact: Contact, lists: [String]? = nil) {
            id = contact.id ?? 0
            email = contact.email
            firstName = contact.firstName
            lastName = contact.lastName
            status = contact.status.rawValue
            tags = contact.tags
            fields = contact.fields
            self.lists = lists
            created = contact.created
            updated = contact.updated
        }

        enum CodingKeys: String, CodingKey {
            case id
            case email
            case firstName = "first_name"
            case lastName = "last_name"
            case status
            case tags
            case fields
            case lists
            case created
            case updated
        }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("contacts") { request, _ in
            let page = try Pagination(request)
            let query = request.uri.queryParameters
            var segment: Segment?
            if let text = query["segment"] {
                guard let id = Int64(text) else { throw APIError.invalid("segment", "segment: expected a segment id") }
                segment = try segments.condition(id)
            }
            let result = try store.list(
                page: page.page, perPage: page.perPage, list: query["list"].map(String.init), segment: segment,
                query: query["q"].map(String.init))
            let lists = try store.lists(of: result.items.compactMap(\.id))
            return JSONBody.response(
                Page(
                    items: result.items.map { JSON($0, lists: lists[$0.id ?? 0] ?? []) }, total: result.total,
                    page: page.page, perPage: page.perPage))
        }
        router.post("contacts") { request, context in
            let body = try await JSONBody.decode(CreateBody.self, from: request)
            let contact = try store.create(
                ContactInput(
                    email: body.email, firstName: body.firstName ?? "", lastName: body.lastName ?? "",
                    status: body.status, tags: body.tags ?? [], fields: body.fields ?? [:], lists: body.lists ?? [],
                    doubleOptIn: body.doubleOptIn ?? false, consentSource: body.consentSource ?? "api",
                    consentIP: context.remoteIP))
            if body.doubleOptIn == true { try await sendConfirmation(contact) }
            return JSONBody.response(JSON(contact, lists: try store.lists(of: contact.id ?? 0)), status: .created)
        }
        router.get("contacts/export") { request, _ in
            let format = request.uri.queryParameters["format"].map(String.init) ?? "jsonl"
            guard format == "jsonl" || format == "csv" else {
                throw APIError.invalid("format", "format: expected csv or jsonl")
            }
            let list = request.uri.queryParameters["list"].map(String.init)
            var text = ""
            if format == "jsonl" {
                try store.writeJSONLines(list: list) { text += $0 }
            } else {
                try store.writeCSV(list: list) { text += $0 }
            }
            var headers = HTTPFields()
            headers[.contentType] = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("contacts/:id") { _, context in
            let id = try context.parameters.id()
            guard let contact = try store.contact(id: id) else { throw APIError.notFound("contact \(id)") }
            return JSONBody.response(JSON(contact, lists: try store.lists(of: id)))
        }
        let update: @Sendable (Request, APIContext) async throws -> Response = { request, context in
            let id = try context.parameters.id()
            let body = try await JSONBody.decode(PatchBody.self, from: request)
            let contact = try store.update(
                id,
                ContactPatch(
                    email: body.email, firstName: body.firstName, lastName: body.lastName, status: body.status,
                    tags: body.tags, fields: body.fields, lists: body.lists))
            return JSONBody.response(JSON(contact, lists: try store.lists(of: id)))
        }
        router.patch("contacts/:id", use: update)
        router.put("contacts/:id", use: update)
        router.delete("contacts/:id") { _, context in
            try store.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        router.post("contacts/:id/erase") { _, context in
            try store.erase(try context.parameters.id())
            return Response(status: .noContent)
        }
        router.get("contacts/:id/consent") { _, context in
            let id = try context.parameters.id()
            guard let consent = try store.consent(of: id) else { throw APIError.notFound("consent for contact \(id)") }
            return JSONBody.response(ConsentJSON(consent))
        }
    }

    struct ConsentJSON: Encodable {
        var contactId: Int64
        var source: String
        var ip: String
        var time: Date
        var confirmed: Date?
        init(_ consent: Consent) {
            contactId = consent.contactID
            source = consent.source
            ip = consent.ip
            time = consent.time
            confirmed = consent.confirmed
        }

        enum CodingKeys: String, CodingKey {
            case contactId = "contact_id"
            case source
            case ip
            case time
            case confirmed
        }
    }
}
