import Foundation

/// An automation as the API gives it (JSON), checked member by member: errors name the member
/// (`steps[2].then[0].template_id`).
///
///     {"name": "Welcome", "trigger": {"type": "list_subscribed", "list": "news"},
///      "steps": [{"type": "send", "template_id": 1},
///                {"type": "wait", "seconds": 172800},
///                {"type": "branch", "condition": {"opened": "previous"},
///                 "then": [{"type": "send", "template_id": 2}], "else": [{"type": "tag", "add": "cold"}]}],
///      "goal": {segment definition}, "allow_reentry": false, "status": "active",
///      "from_address": "news@example.com", "from_name": "News", "postal_address": "…"}
///
/// Trigger types: `list_subscribed` (`list`), `event` (`event`), `date` (`field`, optional `time` "HH:MM" UTC),
/// `tag_added` (`tag`), `campaign_opened` / `campaign_clicked` (`campaign_id`), `campaign_not_opened`
/// (`campaign_id`, `after_seconds`). Step types: `send` (`template_id`, optional `subject`, `from_address`,
/// `from_name`), `wait` (`seconds` or `until`, ISO 8601), `branch` (`condition`: `{"opened": "previous"}`,
/// `{"clicked": "previous"}` or `{"segment": definition}`; `then`, `else`), `tag` (`add` or `remove`), `list`
/// (`add` or `remove`), `webhook` (`url`).
public struct AutomationDefinition: Sendable {
    public var name: String?
    public var status: AutomationStatus?
    public var trigger: AutomationTrigger?
    public var steps: [AutomationStep]?
    public var goal: Segment?
    public var goalJSON: String?
    public var removesGoal = false
    public var allowReentry: Bool?
    public var fromAddress: String?
    public var fromName: String?
    public var postalAddress: String?

    /// Parses `text`, a JSON object.
    public init(json text: String) throws(CampaignStoreError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            throw .invalid(field: "", reason: "expected a JSON object")
        }
        var definition = AutomationDefinition()
        try definition.read(object)
        self = definition
    }

    init() {}

    private mutating func read(_ object: [String: Any]) throws(CampaignStoreError) {
        let known: Set = [
            "name", "status", "trigger", "steps", "goal", "allow_reentry", "from_address", "from_name",
            "postal_address",
        ]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid(field: unknown, reason: "unknown member")
        }
        name = try Self.string(object, "name", "")
        if let status = try Self.string(object, "status", "") {
            guard let value = AutomationStatus(rawValue: status) else {
                throw .invalid(field: "status", reason: "expected active or paused")
            }
            self.status = value
        }
        if let trigger = object["trigger"] {
            guard let trigger = trigger as? [String: Any] else {
                throw .invalid(field: "trigger", reason: "expected an object")
            }
            self.trigger = try Self.trigger(trigger)
        }
        if let steps = object["steps"] {
            guard let list = steps as? [Any], !list.isEmpty else {
                throw .invalid(field: "steps", reason: "expected a non-empty array")
            }
            self.steps = try Self.steps(list, path: "steps")
        }
        if let goal = object["goal"] {
            if goal is NSNull {
                removesGoal = true
            } else {
                do {
                    self.goal = try Segment(parsing: goal, path: "goal")
                } catch {
                    throw .invalid(field: error.path.isEmpty ? "goal" : error.path, reason: error.message)
                }
                goalJSON = Self.text(goal)
            }
        }
        if let reentry = object["allow_reentry"] {
            guard let value = reentry as? Bool else {
                throw .invalid(field: "allow_reentry", reason: "expected true or false")
            }
            allowReentry = value
        }
        fromAddress = try Self.string(object, "from_address", "")
        if let from = fromAddress, let problem = EmailSyntax.problem(from) {
            throw .invalid(field: "from_address", reason: problem)
        }
        fromName = try Self.string(object, "from_name", "")
        postalAddress = try Self.string(object, "postal_address", "")
    }

    static func trigger(_ object: [String: Any]) throws(CampaignStoreError) -> AutomationTrigger {
        let path = "trigger"
        guard let type = try string(object, "type", path) else {
            throw .invalid(field: "trigger.type", reason: "required")
        }
        func required(_ key: String) throws(CampaignStoreError) -> String {
            guard let value = try string(object, key, path), !value.isEmpty else {
                throw .invalid(field: "trigger.\(key)", reason: "required")
            }
            return value
        }
        func campaign() throws(CampaignStoreError) -> Int64 {
            guard let id = object["campaign_id"] as? Int64 ?? (object["campaign_id"] as? Int).map(Int64.init) else {
                throw .invalid(field: "trigger.campaign_id", reason: "required: a campaign id")
            }
            return id
        }
        switch type {
        case "list_subscribed": return .listSubscribed(list: try required("list"))
        case "event": return .event(name: try required("event"))
        case "tag_added": return .tagAdded(tag: try required("tag"))
        case "date":
            let field = try required("field")
            var second = 9 * 3600
            if let time = try string(object, "time", path) {
                let parts = time.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
                    throw .invalid(field: "trigger.time", reason: "expected HH:MM (UTC)")
                }
                second = parts[0] * 3600 + parts[1] * 60
            }
            return .date(field: field, secondOfDay: second)
        case "campaign_opened": return .campaignOpened(campaign: try campaign())
        case "campaign_clicked": return .campaignClicked(campaign: try campaign())
        case "campaign_not_opened":
            guard let after = object["after_seconds"] as? Double, after >= 0 else {
                throw .invalid(field: "trigger.after_seconds", reason: "required: seconds after sending")
            }
            return .campaignNotOpened(campaign: try campaign(), afterSeconds: after)
        default:
            throw .invalid(
                field: "trigger.type",
                reason:
                    "expected list_subscribed, event, date, tag_added, campaign_opened, campaign_clicked or campaign_not_opened"
            )
        }
    }

    static func steps(_ list: [Any], path: String) throws(CampaignStoreError) -> [AutomationStep] {
        var steps: [AutomationStep] = []
        for (index, item) in list.enumerated() {
            let here = "\(path)[\(index)]"
            guard let object = item as? [String: Any] else { throw .invalid(field: here, reason: "expected an object") }
            steps.append(try step(object, path: here))
        }
        return steps
    }

    static func step(_ object: [String: Any], path: String) throws(CampaignStoreError) -> AutomationStep {
        guard let type = try string(object, "type", path) else {
            throw .invalid(field: "\(path).type", reason: "required")
        }
        switch type {
        case "send":
            guard let template = object["template_id"] as? Int64 ?? (object["template_id"] as? Int).map(Int64.init)
            else { throw .invalid(field: "\(path).template_id", reason: "required: a template id") }
            let subject = try string(object, "subject", path)
            if let subject, subject.isEmpty || subject.contains(where: \.isNewline) {
                throw .invalid(field: "\(path).subject", reason: "must be one non-empty line")
            }
            let from = try string(object, "from_address", path)
            if let from, let problem = EmailSyntax.problem(from) {
                throw .invalid(field: "\(path).from_address", reason: problem)
            }
            var send = AutomationSend(
                templateID: template, subject: subject, fromAddress: from,
                fromName: try string(object, "from_name", path))
            send.campaignID = (object["campaign_id"] as? Int64 ?? (object["campaign_id"] as? Int).map(Int64.init)) ?? 0
            return .send(send)
        case "wait":
            if let seconds = object["seconds"] as? Double {
                guard seconds >= 0, seconds <= 366 * 86_400 else {
                    throw .invalid(field: "\(path).seconds", reason: "must be 0 to 31622400")
                }
                return .wait(seconds: seconds)
            }
            if let until = try string(object, "until", path) {
                guard let date = ISO8601DateFormatter().date(from: until) else {
                    throw .invalid(field: "\(path).until", reason: "expected an ISO 8601 time")
                }
                return .waitUntil(date)
            }
            throw .invalid(field: "\(path).seconds", reason: "required: seconds or until")
        case "branch":
            guard let condition = object["condition"] as? [String: Any] else {
                throw .invalid(field: "\(path).condition", reason: "required: an object")
            }
            let parsed: AutomationCondition
            if let previous = condition["opened"] as? String, previous == "previous" {
                parsed = .openedPrevious
            } else if let previous = condition["clicked"] as? String, previous == "previous" {
                parsed = .clickedPrevious
            } else if let segment = condition["segment"] {
                do {
                    parsed = .segment(
                        try Segment(parsing: segment, path: "\(path).condition.segment"), json: text(segment))
                } catch {
                    throw .invalid(field: error.path, reason: error.message)
                }
            } else {
                throw .invalid(
                    field: "\(path).condition",
                    reason: #"expected {"opened": "previous"}, {"clicked": "previous"} or {"segment": …}"#)
            }
            let then = try branchSteps(object["then"], path: "\(path).then")
            let otherwise = try branchSteps(object["else"], path: "\(path).else")
            return .branch(parsed, then: then, otherwise: otherwise)
        case "tag", "list":
            let add = try string(object, "add", path)
            let remove = try string(object, "remove", path)
            guard (add == nil) != (remove == nil), let name = add ?? remove, !name.isEmpty else {
                throw .invalid(field: "\(path).add", reason: "give one of add or remove")
            }
            if type == "tag" { return add != nil ? .addTag(name) : .removeTag(name) }
            return add != nil ? .addToList(name) : .removeFromList(name)
        case "webhook":
            guard let url = try string(object, "url", path), let parsed = URL(string: url),
                ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil
            else { throw .invalid(field: "\(path).url", reason: "required: an http or https URL") }
            return .webhook(url: url)
        default:
            throw .invalid(field: "\(path).type", reason: "expected send, wait, branch, tag, list or webhook")
        }
    }

    static func branchSteps(_ value: Any?, path: String) throws(CampaignStoreError) -> [AutomationStep] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw .invalid(field: path, reason: "expected an array") }
        return try steps(list, path: path)
    }

    static func string(_ object: [String: Any], _ key: String, _ path: String) throws(CampaignStoreError) -> String? {
        guard let value = object[key] else { return nil }
        guard let text = value as? String else {
            throw .invalid(field: path.isEmpty ? key : "\(path).\(key)", reason: "expected a string")
        }
        return text
    }

    /// `value` (a JSONSerialization tree) as compact JSON with sorted keys, as automations are stored.
    public static func text(_ value: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}

extension AutomationTrigger {
    /// The trigger as the API writes it (and as it is stored).
    public var jsonObject: [String: Any] {
        switch self {
        case .listSubscribed(let list): ["type": "list_subscribed", "list": list]
        case .event(let name): ["type": "event", "event": name]
        case .tagAdded(let tag): ["type": "tag_added", "tag": tag]
        case .date(let field, let second):
            ["type": "date", "field": field, "time": String(format: "%02d:%02d", second / 3600, second / 60 % 60)]
        case .campaignOpened(let campaign): ["type": "campaign_opened", "campaign_id": campaign]
        case .campaignClicked(let campaign): ["type": "campaign_clicked", "campaign_id": campaign]
        case .campaignNotOpened(let campaign, let after):
            ["type": "campaign_not_opened", "campaign_id": campaign, "after_seconds": after]
        }
    }
}

extension AutomationStep {
    /// The step as the API writes it (and as it is stored), send steps with their campaign id.
    public var jsonObject: [String: Any] {
        switch self {
        case .send(let send):
            var object: [String: Any] = [
                "type": "send", "template_id": send.templateID, "campaign_id": send.campaignID,
            ]
            if let subject = send.subject { object["subject"] = subject }
            if let from = send.fromAddress { object["from_address"] = from }
            if let name = send.fromName { object["from_name"] = name }
            return object
        case .wait(let seconds): return ["type": "wait", "seconds": seconds]
        case .waitUntil(let date): return ["type": "wait", "until": ISO8601DateFormatter().string(from: date)]
        case .branch(let condition, let then, let otherwise):
            let test: [String: Any] =
                switch condition {
                case .openedPrevious: ["opened": "previous"]
                case .clickedPrevious: ["clicked": "previous"]
                case .segment(_, let json):
                    [
                        "segment":
                            (try? JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed))
                            ?? NSNull()
                    ]
                }
            return [
                "type": "branch", "condition": test, "then": then.map(\.jsonObject),
                "else": otherwise.map(\.jsonObject),
            ]
        case .addTag(let tag): return ["type": "tag", "add": tag]
        case .removeTag(let tag): return ["type": "tag", "remove": tag]
        case .addToList(let list): return ["type": "list", "add": list]
        case .removeFromList(let list): return ["type": "list", "remove": list]
        case .webhook(let url): return ["type": "webhook", "url": url]
        }
    }
}
