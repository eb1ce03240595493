/// A parser for TOML v1.0.0 (https://toml.io/en/v1.0.0).
///
///     let table = try TOMLParser.parse(text)
///
/// Errors carry the line and column (in Unicode scalars, both 1-based) where the problem was found.
public struct TOMLParser {
    /// A place in the input, for error messages.
    struct Position {
        var index: Int
        var line: Int
        var column: Int
    }

    /// One part of a dotted key and where it was written.
    struct KeyPart {
        var name: String
        var position: Position
    }

    /// Arrays, inline tables and keys nested deeper than this are rejected rather than risking the stack.
    static let maximumNesting = 128

    var scalars: [Unicode.Scalar]
    var index = 0
    var line = 1
    var lineStart = 0
    var nesting = 0
    /// The full key of the value being parsed, which names an inline table in messages.
    var valuePath: [String] = []
    let root = TOMLTableBuilder(origin: .header, path: [])

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Parses a complete document into its root table.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(text)
        try parser.parseDocument()
        return parser.root.freeze()
    }

    // MARK: - Cursor

    var atEnd: Bool { index >= scalars.count }

    var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    func peek(at offset: Int) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    var position: Position { Position(index: index, line: line, column: index - lineStart + 1) }

    /// Consumes one scalar, keeping track of lines.
    @discardableResult
    mutating func advance() -> Unicode.Scalar {
        let scalar = scalars[index]
        index += 1
        if scalar == "\n" {
            line += 1
            lineStart = index
        }
        return scalar
    }

    /// Consumes `text` if the input continues with it.
    mutating func consume(_ text: String) -> Bool {
        let expected = Array(text.unicodeScalars)
        guard index + expected.count <= scalars.count,
            scalars[index..<index + expected.count].elementsEqual(expected)
        else { return false }
        for _ in expected { advance() }
        return true
    }

    func error(_ message: String, at position: Position? = nil) -> TOMLError {
        let position = position ?? self.position
        return TOMLError(line: position.line, column: position.column, message: message)
    }

    /// How the scalar at the cursor is named in messages: `'='`, `end of line`, `end of input`.
    var found: String {
        guard let scalar = peek else { return "end of input" }
        return Self.describe(scalar)
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n", "\r": "end of line"
        case "\t": "a tab"
        case _ where isControl(scalar): "control character U+" + hex(scalar.value)
        default: "'\(Character(scalar))'"
        }
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Control characters other than tab, which TOML allows in no string or comment unescaped.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    // MARK: - Whitespace, comments and newlines

    /// ws = *( %x20 / %x09 )
    mutating func skipWhitespace() {
        while let scalar = peek, scalar == " " || scalar == "\t" { advance() }
    }

    /// comment = "#" *non-eol
    mutating func skipComment() throws(TOMLError) {
        guard peek == "#" else { return }
        advance()
        while let scalar = peek, scalar != "\n" {
            if scalar == "\r" && peek(at: 1) == "\n" { return }
            if Self.isControl(scalar) {
                throw error("\(Self.describe(scalar)) is not allowed in a comment")
            }
            advance()
        }
    }

    /// newline = %x0A / %x0D.0A
    mutating func consumeNewline() throws(TOMLError) -> Bool {
        if peek == "\n" {
            advance()
            return true
        }
        if peek == "\r" {
            guard peek(at: 1) == "\n" else { throw error("a carriage return must be followed by a line feed") }
            advance()
            advance()
            return true
        }
        return false
    }

    /// After a key/value pair or a header: whitespace, an optional comment, then a newline or the end.
    mutating func expectLineEnd(after what: String) throws(TOMLError) {
        skipWhitespace()
        try skipComment()
        if atEnd { return }
        guard try consumeNewline() else {
            throw error("expected the end of the line after \(what), found \(found)")
        }
    }

    /// Whitespace, comments and newlines, as allowed between the elements of an array.
    mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLError) {
        while true {
            skipWhitespace()
            try skipComment()
            guard try consumeNewline() else { return }
        }
    }

    // MARK: - Document

    /// toml = expression *( newline expression )
    /// expression = ws [ comment ] / ws keyval ws [ comment ] / ws table ws [ comment ]
    mutating func parseDocument() throws(TOMLError) {
        if peek == "\u{FEFF}" {  // a byte order mark is not part of the first line
            index = 1
            lineStart = 1
        }
        var current = root
        while !atEnd {
            skipWhitespace()
            switch peek {
            case nil:
                return
            case "#", "\n", "\r":
                try expectLineEnd(after: "a comment")
            case "[":
                current = try parseHeader()
                try expectLineEnd(after: "a table header")
            default:
                try parseKeyValue(into: current)
                try expectLineEnd(after: "a value")
            }
        }
    }
}
