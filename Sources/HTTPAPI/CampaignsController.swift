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
        var abTest: ABTest?
        /// `"ab_test": null` removes the test.
        var removesABTest = false

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            templateId = try container.decodeIfPresent(Int64.self, forKey: .templateId)
            templateVersion = try container.decodeIfPresent(Int.self, forKey: .templateVersion)
            fromAddress = try container.decodeIfPresent(String.self, forKey: .fromAddress)
            fromName = try container.decodeIfPresent(String.self, forKey: .fromName)
            replyTo = try container.decodeIfPresent(String.self, forKey: .replyTo)
            sendingDomain = try container.decodeIfPresent(String.self, forKey: .sendingDomain)
            postalAddress = try container.decodeIfPresent(String.self, forKey: .postalAddress)
            audience = try container.decodeIfPresent(CampaignAudience.self, forKey: .audience)
            data = try container.decodeIfPresent([String: String].self, forKey: .data)
            recurrence = try container.decodeIfPresent(String.self, forKey: .recurrence)
            if container.contains(.abTest), try container.decodeNil(forKey: .abTest) {
                removesABTest = true
            } else {
                abTest = try container.decodeIfPresent(ABTest.self, forKey: .abTest)
            }
        }

        func input() throws -> CampaignInput {
            var recurrenceValue: CampaignRecurrence?
            if let recurrence {
                guard let value = CampaignRecurrence(rawValue: recurrence == "none" ? "" : recurrence) else {
                    throw APIError.invalid("recurrence", "recurrence: expected none, daily, weekly or monthly")
                }
                recurrenceValue = value
            }
            var input = CampaignInput(
                name: name, templateID: templateId, templateVersion: templateVersion, fromAddress: fromAddress,
                fromName: fromName, replyTo: replyTo, sendingDomain: sendingDomain, postalAddress: postalAddress,
                audience: audience, data: data, recurrence: recurrenceValue)
            input.abTest = abTest
            input.removesABTest = removesABTest
            return input
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
            case abTest = "ab_test"
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
        var abTest: ABTest?
        var ab: ABState?

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
            abTest = campaign.abTest
            ab = campaign.abTest == nil ? nil : campaign.abState ?? ABState()
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
            case abTest = "ab_test"
            case ab
        }
    }

    /// `GET /campaigns/{id}/ab`: the test's settings, phase, per-variant results and decision.
    struct ABJSON: Encodable {
        var test: ABTest
        var phase: String
        var decideAt: Date?
        var results: ABEvaluation
        var decision: ABDecision?

        enum CodingKeys: String, CodingKey {
            case test = "ab_test"
            case phase
            case decideAt = "decide_at"
            case results
            case decision
        }
    }

    struct WinnerBody: Decodable { var variant: String }

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
        router.get("campaigns/:id/ab") { _, context in
            let (campaign, evaluation) = try await runner.abEvaluation(try context.parameters.id())
            let state = campaign.abState ?? ABState()
            return JSONBody.response(
                ABJSON(
                    test: campaign.abTest ?? ABTest(variants: []), phase: state.phase.rawValue,
                    decideAt: state.decideAt,
                    results: evaluation, decision: state.decision))
        }
        router.post("campaigns/:id/ab/winner") { request, context in
            let id = try context.parameters.id()
            let body = try await JSONBody.decode(WinnerBody.self, from: request)
            try await runner.chooseWinner(id, variant: body.variant)
            return JSONBody.response(JSON(try store.get(id)), status: .accepted)
        }
        router.get("campaigns/:id/analytics") { _, context in
            let id = try context.parameters.id()
            _ = try store.get(id)
            return JSONBody.response(try analytics(id))
        }
    }
}
