import Campaigns
import Foundation
import Hummingbird

/// `/api/v1/campaigns`: CRUD while in draft, and the lifecycle: send (now or at `send_at`), pause, resume,
/// cancel, duplicate, test sends, analytics.
struct CampaignsController {
    let store: any CampaignRepository
    let runner: CampaignRunner
    let contacts: ContactStore
    let analytics: @Sendable (Int64) throws -> CampaignAnalytics

    struct Body: Decodable {
        var name: String?
        var templateId: Int64?
        var templateVersion: Int?
        var fromAddress: String?
        var fromName: String?
        var replyTo: String?
        var sendingDomain: String?
        var postalAddress: String?
        var audience: CampaignAudience?
        var data: [String: String]?
        var recurrence: String?

        func input() throws -> CampaignInput {
            var recurrenceValue: CampaignRecurrence?
            if let recurrence {
                guard let value = CampaignRecurrence(rawValue: recurrence == "none" ? "" : recurrence) else {
                    throw APIError.invalid("recurrence", "recurrence: expected none, daily, weekly or monthly")
                }
                recurrenceValue = value
            }
            return CampaignInput(
                name: name, templateID: templateId, templateVersion: templateVersion, fromAddress: fromAddress,
                fromName: fromName, replyTo: replyTo, sendingDomain: sendingDomain, postalAddress: postalAddress,
                audience: audience, data: data, recurrence: recurrenceValue)
        }

        enum CodingKeys: String, CodingKey {
            case name
            case templateId = "template_id"
            case templateVersion = "template_version"
            case fromAddress = "from_address"
            case fromName = "from_name"
            case replyTo = "reply_to"
            case sendingDomain = "sending_domain"
            case postalAddress = "postal_address"
            case audience
            case data
            case recurrence
        }
    }

    struct JSON: Encodable {
        var id: Int64
        var name: String
        var status: String
        var templateId: Int64?
        var templateVersion: Int?
        var fromAddress: String
        var fromName: String
        var replyTo: String
        var sendingDomain: String
        var postalAddress: String
        var audience: CampaignAudience
        var data: [String: String]
        var sendAt: Date?
        var recurrence: String
        var parentId: Int64?
        var created: Date
        var updated: Date
        var started: Date?
        var finished: Date?

        init(_ campaign: Campaign) {
            id = campaign.id
            name = campaign.name
            status = campaign.status.rawValue
            templateId = campaign.templateID
            templateVersion = campaign.templateVersion
            fromAddress = campaign.fromAddress
            fromName = campaign.fromName
            replyTo = campaign.replyTo
            sendingDomain = campaign.sendingDomain
            postalAddress = campaign.postalAddress
            audience = campaign.audience
            data = campaign.data
            sendAt = campaign.sendAt
            recurrence = campaign.recurrence == .none ? "none" : campaign.recurrence.rawValue
            parentId = campaign.parentID
            created = campaign.created
            updated = campaign.updated
            started = campaign.started
            finished = campaign.finished
        }

        enum CodingKeys: String, CodingKey {
            case id
            case name
            case status
            case templateId = "template_id"
            case templateVersion = "template_version"
            case fromAddress = "from_address"
            case fromName = "from_name"
            case replyTo = "reply_to"
            case sendingDomain = "sending_domain"
            case postalAddress = "postal_address"
            case audience
            case data
            case sendAt = "send_at"
            case recurrence
            case parentId = "parent_id"
            case created
            case updated
            case started
            case finished
        }
    }

    struct SendBody: Decodable {
        var sendAt: Date?
        enum CodingKeys: String, CodingKey {
            case sendAt = "send_at"
        }
    }
    struct TestBody: Decodable { var addresses: [String] }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("campaigns") { request, _ in
            let page = try Pagination(request)
            let result = try store.list(page: page.page, perPage: page.perPage)
            return JSONBody.response(
                Page(items: result.items.map(JSON.init), total: result.total, page: page.page, perPage: page.perPage))
        }
        router.post("campaigns") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            return JSONBody.response(JSON(try store.create(try body.input())), status: .created)
        }
        router.get("campaigns/:id") { _, context in
            JSONBody.response(JSON(try store.get(try context.parameters.id())))
        }
        let update: @Sendable (Request, APIContext) async throws -> Response = { request, context in
            let body = try await JSONBody.decode(Body.self, from: request)
            return JSONBody.response(JSON(try store.update(try context.parameters.id(), try body.input())))
        }
        router.patch("campaigns/:id", use: update)
        router.put("campaigns/:id", use: update)
        router.delete("campaigns/:id") { _, context in
            try store.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        router.post("campaigns/:id/send") { request, context in
            let id = try context.parameters.id()
            let buffer = try await JSONBody.bytes(request)
            let body =
                buffer.readableBytes == 0
                ? SendBody(sendAt: nil) : try JSONBody.decode(SendBody.self, from: Data(buffer.readableBytesView))
            if let sendAt = body.sendAt, sendAt > Date() {
                return JSONBody.response(
                    JSON(try store.transition(id, to: .scheduled, sendAt: sendAt)), status: .accepted)
            }
            let campaign = try store.transition(id, to: .sending)
            await runner.start(id)
            return JSONBody.response(JSON(campaign), status: .accepted)
        }
        router.post("campaigns/:id/pause") { _, context in
            JSONBody.response(JSON(try store.transition(try context.parameters.id(), to: .paused)))
        }
        router.post("campaigns/:id/resume") { _, context in
            let id = try context.parameters.id()
            let campaign = try store.transition(id, to: .sending)
            await runner.start(id)
            return JSONBody.response(JSON(campaign), status: .accepted)
        }
        router.post("campaigns/:id/cancel") { _, context in
            JSONBody.response(JSON(try store.transition(try context.parameters.id(), to: .cancelled)))
        }
        router.post("campaigns/:id/duplicate") { _, context in
            JSONBody.response(JSON(try store.duplicate(try context.parameters.id())), status: .created)
        }
        router.post("campaigns/:id/test") { request, context in
            let id = try context.parameters.id()
            let body = try await JSONBody.decode(TestBody.self, from: request)
            guard !body.addresses.isEmpty, body.addresses.count <= 50 else {
                throw APIError.invalid("addresses", "addresses: give 1 to 50 addresses")
            }
            for (offset, address) in body.addresses.enumerated() {
                if let problem = EmailSyntax.problem(address) {
                    throw APIError.invalid("addresses[\(offset)]", "addresses[\(offset)]: \(problem)")
                }
            }
            let known = try body.addresses.compactMap { try contacts.contact(email: $0) }
            let ids = try await runner.sendTest(id, to: body.addresses, contacts: known)
            return JSONBody.response(["queue_ids": ids], status: .accepted)
        }
        router.get("campaigns/:id/analytics") { _, context in
            let id = try context.parameters.id()
            _ = try store.get(id)
            return JSONBody.response(try analytics(id))
        }
    }
}
