/// A syntax or semantic error in a TOML document, at a 1-based line and column (columns count Unicode scalars).
public struct TOMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `3:7: duplicate key "port"`
    public var description: String { "\(line):\(column): \(message)" }
}
