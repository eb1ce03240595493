import Campaigns
import Foundation
import Hummingbird

/// `/api/v1/automations` (flows: create, read, pause or activate, delete, one contact's progress) and
/// `/api/v1/events` (custom events that trigger flows).
struct AutomationsController {
    let store: AutomationStore
    let contacts: ContactStore

    struct JSON: Encodable {
        var id: Int64
        var name: String
        var status: String
        var trigger: AnyJSON
        var steps: AnyJSON
        var goal: AnyJSON?
        var allowReentry: Bool
        var fromAddress: String
        var fromName: String
        var postalAddress: String
        var created: Date
        var updated: Date
        /// Runs per state (active, done, exited).
        var runs: [String: Int]?
        /// Active runs per step position (of the compiled program).
        var activeByPosition: [String: Int]?
        var stepsDone: Int?

        init(_ automation: Automation, progress: (states: [String: Int], positions: [Int: Int], steps: Int)? = nil) {
            id = automation.id
            name = automation.name
            status = automation.status.rawValue
            trigger = AnyJSON(text: AutomationDefinition.text(automation.trigger.jsonObject))
            steps = AnyJSON(text: AutomationDefinition.text(automation.steps.map(\.jsonObject)))
            goal = automation.goalJSON.map(AnyJSON.init(text:))
            allowReentry = automation.allowReentry
            fromAddress = automation.fromAddress
            fromName = automation.fromName
            postalAddress = automation.postalAddress
            created = automation.created
            updated = automation.updated
            if let progress {
                runs = progress.states
                activeByPosition = Dictionary(uniqueKeysWithValues: progress.positions.map { ("\($0.key)", $0.value) })
                stepsDone = progress.steps
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, name, status, trigger, steps, goal
            case allowReentry = "allow_reentry"
            case fromAddress = "from_address"
            case fromName = "from_name"
            case postalAddress = "postal_address"
            case created, updated, runs
            case activeByPosition = "active_by_position"
            case stepsDone = "steps_done"
        }
    }

    struct RunJSON: Encodable {
        struct Step: Encodable {
            var position: Int
            var step: String
            var detail: String
            var time: Date
        }

        var id: Int64
        var state: String
        var position: Int
        var waiting: Bool
        var wakeAt: Date
        var exitReason: String
        var entered: Date
        var steps: [Step]

        enum CodingKeys: String, CodingKey {
            case id, state, position, waiting
            case wakeAt = "wake_at"
            case exitReason = "exit_reason"
            case entered, steps
        }
    }

    struct EventBody: Decodable {
        var event: String
        var email: String?
        var contactID: Int64?
        var data: AnyJSON?

        enum CodingKeys: String, CodingKey {
            case event, email, data
            case contactID = "contact_id"
        }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("automations") { _, _ in
            let all = try store.all()
            return JSONBody.response(Page(items: all.map { JSON($0) }, total: all.count, page: 1, perPage: all.count))
        }
        router.post("automations") { request, _ in
            let definition = try AutomationDefinition(json: try await Self.text(request))
            let automation = try store.create(definition)
            return JSONBody.response(JSON(automation, progress: try store.progress(automation.id)), status: .created)
        }
        router.get("automations/:id") { _, context in
            let id = try context.parameters.id()
            return JSONBody.response(JSON(try store.get(id), progress: try store.progress(id)))
        }
        router.patch("automations/:id") { request, context in
            let id = try context.parameters.id()
            let automation = try store.update(id, try AutomationDefinition(json: try await Self.text(request)))
            return JSONBody.response(JSON(automation, progress: try store.progress(id)))
        }
        router.delete("automations/:id") { _, context in
            try store.delete(try context.parameters.id())
            return Response(status: .noContent)
        }
        router.get("automations/:id/contacts/:contact") { _, context in
            let id = try context.parameters.id()
            _ = try store.get(id)
            let runs = try store.runs(automationID: id, contactID: try context.parameters.id("contact"))
            return JSONBody.response(
                runs.map { run, log in
                    RunJSON(
                        id: run.id, state: run.state.rawValue, position: run.position, waiting: run.waiting,
                        wakeAt: run.wakeAt, exitReason: run.exitReason, entered: run.entered,
                        steps: log.map {
                            RunJSON.Step(position: $0.position, step: $0.step, detail: $0.detail, time: $0.time)
                        })
                })
        }
        router.post("events") { request, _ in
            let body = try await JSONBody.decode(EventBody.self, from: request)
            let contact: Contact?
            if let id = body.contactID {
                contact = try contacts.contact(id: id)
            } else if let email = body.email {
                contact = try contacts.contact(email: email)
            } else {
                throw APIError.invalid("email", "email or contact_id: required")
            }
            guard let contact, let id = contact.id else {
                throw APIError.invalid(body.contactID == nil ? "email" : "contact_id", "no such contact")
            }
            let eventID = try store.recordEvent(contactID: id, name: body.event, data: body.data?.text ?? "")
            return JSONBody.response(["id": eventID], status: .accepted)
        }
    }

    static func text(_ request: Request) async throws -> String {
        let buffer = try await JSONBody.bytes(request)
        return String(decoding: buffer.readableBytesView, as: UTF8.self)
    }
}
