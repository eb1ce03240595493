import Foundation
import GRDB

/// A segment: a condition tree over contacts, compiled to one SQL expression with bound values (never
/// spliced), so that counts and previews run inside SQLite.
///
///     {"and": [
///         {"field": "status", "op": "equals", "value": "subscribed"},
///         {"or": [{"custom": "city", "op": "in", "value": ["Paris", "Lyon"]}, {"tag": "vip"}]},
///         {"not": {"custom": "plan", "op": "exists"}}
///     ]}
///
/// Operands: `field` (email, first_name, last_name, status, created, updated), `custom` (a custom field) and
/// `tag` (the contact has the tag). Operators: equals, not_equals, contains, starts_with (ASCII
/// case-insensitive), greater, less (numeric when the value is a number; for created/updated an RFC 3339
/// time or Unix seconds), in (a list), exists.
///
/// Campaign activity: `{"event": "opened", "campaign": 12}` holds for contacts that opened campaign 12;
/// without `campaign`, any campaign. Events: delivered, bounced, opened, clicked (human opens and clicks
/// only), unsubscribed, complained (`SegmentEvent`). `{"not": {"event": "opened", "campaign": 12}}` is
/// "did not open campaign 12", including contacts it was never sent to.
public indirect enum Segment: Sendable, Hashable {
    case and([Segment])
    case or([Segment])
    case not(Segment)
    case field(String, Operator, SegmentValue)
    case custom(String, Operator, SegmentValue)
    case tag(String)
    /// The contact's `campaign_recipient` row (of that campaign, or of any) has the event's time set.
    case event(SegmentEvent, campaign: Int64?)

    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equals
        case notEquals = "not_equals"
        case contains
        case startsWith = "starts_with"
        case greater, less, `in`, exists
    }

    public static let fields: Set<String> = ["email", "first_name", "last_name", "status", "created", "updated"]

    /// A condition that cannot be compiled, with the JSON path of the offending member (`and[1].op`).
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    /// Parses JSON text.
    public init(json text: String) throws(Invalid) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw Invalid(path: "", message: "not JSON: \(error.localizedDescription)")
        }
        try self.init(parsing: object, path: "")
    }

    init(parsing object: Any, path: String) throws(Invalid) {
        guard let node = object as? [String: Any] else { throw Invalid(path: path, message: "expected an object") }
        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        if let list = node["and"] ?? node["or"] {
            let key = node["and"] != nil ? "and" : "or"
            guard node.count == 1 else { throw Invalid(path: path, message: "\"\(key)\" stands alone in its object") }
            guard let items = list as? [Any], !items.isEmpty else {
                throw Invalid(path: child(key), message: "expected a non-empty array of conditions")
            }
            var parts: [Segment] = []
            for (offset, item) in items.enumerated() {
                parts.append(try Segment(parsing: item, path: "\(child(key))[\(offset)]"))
            }
            self = key == "and" ? .and(parts) : .or(parts)
            return
        }
        if let inner = node["not"] {
            guard node.count == 1 else { throw Invalid(path: path, message: "\"not\" stands alone in its object") }
            self = .not(try Segment(parsing: inner, path: child("not")))
            return
        }
        if let tag = node["tag"] {
            guard let name = tag as? String, !name.isEmpty else {
                throw Invalid(path: child("tag"), message: "expected a tag name")
            }
            guard node.count == 1 else { throw Invalid(path: path, message: "a tag condition has only \"tag\"") }
            self = .tag(name)
            return
        }
        if let event = node["event"] {
            self = try Self.parseEvent(event, node, path: path)
            return
        }
        let isField = node["field"] != nil
        guard isField || node["custom"] != nil else {
            throw Invalid(
                path: path,
                message: "expected one of \"and\", \"or\", \"not\", \"field\", \"custom\", \"tag\", \"event\"")
        }
        let key = isField ? "field" : "custom"
        guard let name = node[key] as? String, !name.isEmpty else {
            throw Invalid(path: child(key), message: "expected a name")
        }
        if isField, !Self.fields.contains(name) {
            throw Invalid(
                path: child("field"),
                message: "unknown field \"\(name)\"; one of \(Self.fields.sorted().joined(separator: ", "))")
        }
        if !isField, !name.utf8.allSatisfy(Self.isCustomNameByte) {
            throw Invalid(path: child("custom"), message: "custom field names are letters, digits, space, _ - .")
        }
        guard let opText = node["op"] as? String else { throw Invalid(path: child("op"), message: "missing") }
        guard let op = Operator(rawValue: opText) else {
            throw Invalid(
                path: child("op"),
                message:
                    "unknown operator \"\(opText)\"; one of \(Operator.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let value: SegmentValue
        if op == .exists {
            guard node["value"] == nil else { throw Invalid(path: child("value"), message: "exists takes no value") }
            value = .none
        } else {
            guard let raw = node["value"] else { throw Invalid(path: child("value"), message: "missing") }
            value = try SegmentValue(raw, op: op, path: child("value"))
        }
        let known: Set<String> = [key, "op", "value"]
        if let extra = node.keys.sorted().first(where: { !known.contains($0) }) {
            throw Invalid(path: child(extra), message: "unknown member")
        }
        self = isField ? .field(name, op, value) : .custom(name, op, value)
    }

    /// `{"event": "opened", "campaign": 12}`; `campaign` optional.
    private static func parseEvent(_ value: Any, _ node: [String: Any], path: String) throws(Invalid) -> Segment {
        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        guard let name = value as? String, let event = SegmentEvent(rawValue: name) else {
            throw Invalid(
                path: child("event"),
                message: "expected one of \(SegmentEvent.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var campaign: Int64?
        if let raw = node["campaign"] {
            guard let number = raw as? NSNumber, !SegmentValue.isBoolean(number), number.doubleValue >= 1,
                number.doubleValue == number.doubleValue.rounded(), number.doubleValue < 9.0e15
            else { throw Invalid(path: child("campaign"), message: "expected a campaign id") }
            campaign = number.int64Value
        }
        if let extra = node.keys.sorted().first(where: { $0 != "event" && $0 != "campaign" }) {
            throw Invalid(path: child(extra), message: "unknown member")
        }
        return .event(event, campaign: campaign)
    }

    static func isCustomNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x20 || byte == 0x5F || byte == 0x2D || byte == 0x2E
    }

    /// The SQL expression over table `contact`, its values appended to `arguments` in order.
    public func sql(_ arguments: inout StatementArguments) -> String {
        switch self {
        case .and(let parts): return "(" + parts.map { $0.sql(&arguments) }.joined(separator: " AND ") + ")"
        case .or(let parts): return "(" + parts.map { $0.sql(&arguments) }.joined(separator: " OR ") + ")"
        case .not(let inner): return "(NOT " + inner.sql(&arguments) + ")"
        case .tag(let name):
            arguments += [name]
            return "EXISTS (SELECT 1 FROM json_each(contact.tags) WHERE json_each.value = ?)"
        case .field(let name, let op, let value):
            let column = "contact." + name
            if op == .exists { return "(\(column) IS NOT NULL AND \(column) != '')" }
            let isTime = name == "created" || name == "updated"
            return Self.comparison(column, op, isTime ? value.asTime : value, &arguments)
        case .event(let event, let campaign):
            let column = "campaign_recipient." + event.column
            guard let campaign else {
                // Not correlated: SQLite builds the set of ids once (campaign_recipient has no index that
                // starts with contact_id, so a correlated EXISTS would scan it for every contact).
                return "(contact.id IN (SELECT contact_id FROM campaign_recipient WHERE \(column) IS NOT NULL))"
            }
            arguments += [campaign]
            return """
                EXISTS (SELECT 1 FROM campaign_recipient WHERE campaign_id = ? \
                AND contact_id = contact.id AND \(column) IS NOT NULL)
                """
        case .custom(let name, let op, let value):
            let path = "$.\"\(name)\""
            if op == .exists { return "(json_type(contact.fields, '\(path)') IS NOT NULL)" }
            return Self.comparison("json_extract(contact.fields, '\(path)')", op, value, &arguments)
        }
    }

    private static func comparison(
        _ expression: String, _ op: Operator, _ value: SegmentValue, _ arguments: inout StatementArguments
    ) -> String {
        switch (op, value) {
        case (.in, .list(let items)):
            arguments += StatementArguments(items.map(\.databaseValue))
            return "(\(expression) IN (\(Array(repeating: "?", count: items.count).joined(separator: ", "))))"
        case (.contains, .text(let text)), (.startsWith, .text(let text)):
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            arguments += [(op == .contains ? "%" : "") + escaped + "%"]
            return "(\(expression) LIKE ? ESCAPE '\\')"
        case (.greater, .number(let number)), (.less, .number(let number)):
            arguments += [number]
            return "(CAST(\(expression) AS REAL) \(op == .greater ? ">" : "<") ?)"
        case (.greater, _), (.less, _):
            arguments += [value.databaseValue]
            return "(\(expression) \(op == .greater ? ">" : "<") ?)"
        case (.notEquals, _):
            arguments += [value.databaseValue]
            return "(\(expression) IS NOT ?)"
        default:
            arguments += [value.databaseValue]
            return "(\(expression) = ?)"
        }
    }
}

/// A value in a condition.
public enum SegmentValue: Sendable, Hashable {
    case none
    case text(String)
    case number(Double)
    case list([SegmentValue])

    init(_ raw: Any, op: Segment.Operator, path: String) throws(Segment.Invalid) {
        if op == .in {
            guard let items = raw as? [Any], !items.isEmpty else {
                throw Segment.Invalid(path: path, message: "\"in\" takes a non-empty array")
            }
            var values: [SegmentValue] = []
            for (offset, item) in items.enumerated() {
                values.append(try SegmentValue(item, op: .equals, path: "\(path)[\(offset)]"))
            }
            self = .list(values)
            return
        }
        if let text = raw as? String {
            self = .text(text)
        } else if let number = raw as? NSNumber, !Self.isBoolean(number) {
            self = .number(number.doubleValue)
        } else {
            throw Segment.Invalid(path: path, message: "expected a string or a number")
        }
        if op == .contains || op == .startsWith, case .number = self {
            throw Segment.Invalid(path: path, message: "\(op.rawValue) takes a string")
        }
    }

    /// JSONSerialization gives true and false as NSNumbers of type char (or BOOL).
    static func isBoolean(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .none: return .null
        case .text(let text): return text.databaseValue
        case .number(let number): return number.databaseValue
        case .list: return .null
        }
    }

    /// created/updated are stored as Unix seconds: an RFC 3339 time becomes that.
    var asTime: SegmentValue {
        switch self {
        case .text(let text):
            if let date = try? Date(text, strategy: .iso8601) { return .number(date.timeIntervalSince1970) }
            return self
        case .list(let items): return .list(items.map(\.asTime))
        default: return self
        }
    }
}
