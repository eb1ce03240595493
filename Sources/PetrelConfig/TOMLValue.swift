/// A value of a TOML v1.0.0 document.
///
/// Date and time values are checked against the TOML grammar (RFC 3339 profile) and kept as the text that was
/// written; the configuration never needs them as dates.
public enum TOMLValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    /// `1979-05-27T07:32:00Z`, `1979-05-27 00:32:00-07:00`
    case offsetDateTime(String)
    /// `1979-05-27T07:32:00`
    case localDateTime(String)
    /// `1979-05-27`
    case localDate(String)
    /// `07:32:00.999`
    case localTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The type with its article, for messages: "a string", "an integer", "an array" …
    public var typeDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .offsetDateTime: "an offset date-time"
        case .localDateTime: "a local date-time"
        case .localDate: "a local date"
        case .localTime: "a local time"
        case .array: "an array"
        case .table: "a table"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { value } else { nil }
    }

    public var floatValue: Double? {
        if case .float(let value) = self { value } else { nil }
    }

    public var boolValue: Bool? {
        if case .boolean(let value) = self { value } else { nil }
    }

    public var arrayValue: [TOMLValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    public var tableValue: TOMLTable? {
        if case .table(let value) = self { value } else { nil }
    }
}
