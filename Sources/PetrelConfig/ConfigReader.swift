/// Reads the keys of one TOML table into typed values, remembering which keys it was asked for so that
/// `finish()` can reject every other key by its full path.
struct ConfigReader {
    let table: TOMLTable
    /// `""` for the root, `limits`, `listener[0]` …
    let path: String
    let source: String
    private var known: [String] = []

    init(table: TOMLTable, path: String, source: String) {
        self.table = table
        self.path = path
        self.source = source
    }

    func keyPath(_ key: String) -> String {
        let rendered = TOMLParser.render([key])
        return path.isEmpty ? rendered : "\(path).\(rendered)"
    }

    func error(_ key: String, _ message: String) -> ConfigError {
        ConfigError(source: source, path: keyPath(key), message: message)
    }

    /// An error about element `offset` of the array under `key`: `relay.trusted_networks[2]`.
    func error(_ key: String, element offset: Int, _ message: String) -> ConfigError {
        ConfigError(source: source, path: keyPath(key) + "[\(offset)]", message: message)
    }

    func typeError(_ key: String, expected: String, got value: TOMLValue) -> ConfigError {
        error(key, "expected \(expected), got \(value.typeDescription)")
    }

    /// The raw value of a key this table understands.
    mutating func value(_ key: String) -> TOMLValue? {
        known.append(key)
        return table[key]
    }

    mutating func string(_ key: String, default fallback: String) throws(ConfigError) -> String {
        guard let value = value(key) else { return fallback }
        guard case .string(let string) = value else { throw typeError(key, expected: "a string", got: value) }
        return string
    }

    mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard table[key] != nil else { throw error(key, "missing (required)") }
        let string = try string(key, default: "")
        guard !string.isEmpty else { throw error(key, "must not be empty") }
        return string
    }

    mutating func bool(_ key: String, default fallback: Bool) throws(ConfigError) -> Bool {
        guard let value = value(key) else { return fallback }
        guard case .boolean(let bool) = value else { throw typeError(key, expected: "a boolean", got: value) }
        return bool
    }

    /// An integer of at least `minimum`; `reason` explains a minimum other than 1.
    mutating func integer(
        _ key: String,
        default fallback: Int,
        minimum: Int = 1,
        reason: String? = nil
    ) throws(ConfigError) -> Int {
        guard let value = value(key) else { return fallback }
        guard case .integer(let integer) = value else { throw typeError(key, expected: "an integer", got: value) }
        try check(key, Int(integer), minimum: minimum, reason: reason)
        return Int(integer)
    }

    func check(_ key: String, _ number: Int, minimum: Int, reason: String? = nil) throws(ConfigError) {
        guard number < minimum else { return }
        let rule = minimum == 1 ? "must be greater than 0" : "must be at least \(minimum)"
        throw error(key, "\(rule), got \(number)" + (reason.map { " (\($0))" } ?? ""))
    }

    /// An array whose elements are all strings.
    mutating func stringArray(_ key: String, default fallback: [String]) throws(ConfigError) -> [String] {
        guard let value = value(key) else { return fallback }
        guard case .array(let elements) = value else {
            throw typeError(key, expected: "an array of strings", got: value)
        }
        var strings: [String] = []
        for (offset, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                throw error(key, element: offset, "expected a string, got \(element.typeDescription)")
            }
            strings.append(string)
        }
        return strings
    }

    /// A sub-table such as `[limits]`; an absent one reads as empty, so every key takes its default.
    mutating func section(_ key: String) throws(ConfigError) -> ConfigReader {
        let value = value(key) ?? .table(TOMLTable())
        guard case .table(let table) = value else { throw typeError(key, expected: "a table", got: value) }
        return ConfigReader(table: table, path: keyPath(key), source: source)
    }

    /// An array of tables such as `[[listener]]`, each read with the path `listener[0]`, `listener[1]` …;
    /// `nil` when the key is absent.
    mutating func tableArray(_ key: String) throws(ConfigError) -> [ConfigReader]? {
        guard let value = value(key) else { return nil }
        let expected = "an array of tables ([[\(key)]])"
        guard case .array(let elements) = value else { throw typeError(key, expected: expected, got: value) }
        var readers: [ConfigReader] = []
        for (offset, element) in elements.enumerated() {
            guard case .table(let table) = element else {
                throw error(key, element: offset, "expected a table, got \(element.typeDescription)")
            }
            readers.append(ConfigReader(table: table, path: keyPath(key) + "[\(offset)]", source: source))
        }
        return readers
    }

    /// Rejects the first key, in document order, that no one asked for.
    func finish() throws(ConfigError) {
        for key in table.keys where !known.contains(key) {
            let suggestion = known.min { Self.distance($0, key) < Self.distance($1, key) }
            var message = "unknown key"
            if let suggestion, Self.distance(suggestion, key) <= max(1, key.count / 3) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            throw error(key, message)
        }
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    private static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}
