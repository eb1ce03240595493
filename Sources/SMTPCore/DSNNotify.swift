/// The RCPT parameter NOTIFY= (RFC 3461 §4.1).
public struct DSNNotify: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let success = DSNNotify(rawValue: 1 << 0)
    public static let failure = DSNNotify(rawValue: 1 << 1)
    public static let delay = DSNNotify(rawValue: 1 << 2)
    /// Exclusive: never combined with the others (RFC 3461 §4.1).
    public static let never = DSNNotify(rawValue: 1 << 3)

    // RFC 3461 §4.1:
    //   notify-esmtp-value = "NEVER" / 1#notify-list-element
    //   notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
    /// Parses the value, keywords in any case; nil when malformed or NEVER is combined.
    public init?(parameterValue value: String) {
        var notify: DSNNotify = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            switch item.uppercased() {
            case "NEVER": notify.insert(.never)
            case "SUCCESS": notify.insert(.success)
            case "FAILURE": notify.insert(.failure)
            case "DELAY": notify.insert(.delay)
            default: return nil
            }
        }
        guard !notify.contains(.never) || notify == .never else { return nil }
        self = notify
    }

    /// "NEVER" or "SUCCESS,FAILURE,DELAY" (those present, in this order).
    public var parameterValue: String {
        if contains(.never) {
            return "NEVER"
        }
        var names: [String] = []
        if contains(.success) { names.append("SUCCESS") }
        if contains(.failure) { names.append("FAILURE") }
        if contains(.delay) { names.append("DELAY") }
        return names.joined(separator: ",")
    }
}
