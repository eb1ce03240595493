/// Metrics in the Prometheus text exposition format, version 0.0.4: per family a `# HELP` and a `# TYPE`
/// line, then one line per sample, `name{label="value",…} number`. Label values escape backslash, double
/// quote and line feed; help texts escape backslash and line feed.
public struct MetricsText: Sendable {
    public enum Kind: String, Sendable {
        case counter, gauge
    }

    public private(set) var text = ""

    public init() {}

    /// Starts a family; its samples follow with `sample`.
    public mutating func family(_ name: String, _ kind: Kind, help: String) {
        text += "# HELP \(name) \(Self.escape(help, quote: false))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.key)=\"\(Self.escape($0.value, quote: true))\"" }.joined(separator: ",")
            text += "}"
        }
        text += " \(Self.format(value))\n"
    }

    public mutating func sample(_ name: String, _ labels: KeyValuePairs<String, String> = [:], _ value: Int) {
        sample(name, labels, Double(value))
    }

    /// One family with a single sample.
    public mutating func single(_ name: String, _ kind: Kind, help: String, _ value: Int) {
        family(name, kind, help: help)
        sample(name, [:], value)
    }

    static func escape(_ value: String, quote: Bool) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\n" || (quote && $0 == "\"") }) else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quote: escaped += "\\\""
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Integers without a fraction; everything else as Swift prints a Double (`+Inf`, `-Inf` and `NaN` as
    /// the format spells them).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
