/// A configuration that cannot be used, naming the key at fault.
///
///     petrel.toml: limits.max_recipients: expected an integer, got a string
///     petrel.toml: listener[0].mod: unknown key (did you mean "mode"?)
///     petrel.toml:12:9: duplicate key "port"
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the configuration came from: the file path given to `load`, or the `source` given to `parse`.
    public var source: String
    /// The key at fault, such as `limits.max_recipients` or `listener[1].mode`; empty for errors of the file as a
    /// whole (unreadable, TOML syntax).
    public var path: String
    public var message: String
    /// For TOML syntax errors, the 1-based line and column.
    public var line: Int?
    public var column: Int?

    public init(source: String, path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.source = source
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    init(source: String, syntax error: TOMLError) {
        self.init(source: source, path: "", message: error.message, line: error.line, column: error.column)
    }

    public var description: String {
        var location = source
        if let line, let column { location += ":\(line):\(column)" }
        return path.isEmpty ? "\(location): \(message)" : "\(location): \(path): \(message)"
    }
}
