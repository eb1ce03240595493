extension TOMLParser {
    /// val = string / boolean / array / inline-table / date-time / float / integer
    mutating func parseValue() throws(TOMLError) -> TOMLValue {
        let start = position
        switch peek {
        case "\"":
            if consume("\"\"\"") { return .string(try parseMultilineBasicString(start: start)) }
            return .string(try parseBasicString())
        case "'":
            if consume("'''") { return .string(try parseMultilineLiteralString(start: start)) }
            return .string(try parseLiteralString())
        case "[":
            return try nested { (parser: inout TOMLParser) throws(TOMLError) in try parser.parseArray() }
        case "{":
            return try nested { (parser: inout TOMLParser) throws(TOMLError) in try parser.parseInlineTable() }
        default:
            let token = scanToken()
            guard !token.isEmpty else { throw error("expected a value, found \(found)") }
            return try Self.scalarValue(token, at: start)
        }
    }

    /// Runs `body` one nesting level deeper, refusing documents nested deeper than `maximumNesting`.
    private mutating func nested(
        _ body: (inout TOMLParser) throws(TOMLError) -> TOMLValue
    ) throws(TOMLError) -> TOMLValue {
        guard nesting < Self.maximumNesting else {
            throw error("arrays and inline tables are nested more than \(Self.maximumNesting) deep")
        }
        nesting += 1
        defer { nesting -= 1 }
        return try body(&self)
    }

    /// The text of a number, boolean or date-time: everything up to a delimiter. A space continues the token
    /// only where it separates the date from the time of a date-time (`1979-05-27 07:32:00`).
    private mutating func scanToken() -> String {
        var token = String.UnicodeScalarView()
        while let scalar = peek {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "+", "-", ".", ":":
                token.append(advance())
            case " "
            where token.count == 10 && Self.isFullDate(String(token)) && Self.isDigit(peek(at: 1))
                && Self.isDigit(peek(at: 2)) && peek(at: 3) == ":":
                token.append(advance())
            default:
                return String(token)
            }
        }
        return String(token)
    }

    static func isDigit(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return ("0"..."9").contains(scalar)
    }

    /// array = array-open [ array-values ] ws-comment-newline array-close
    /// array-values = ws-comment-newline val ws-comment-newline array-sep array-values
    ///              / ws-comment-newline val ws-comment-newline [ array-sep ]
    private mutating func parseArray() throws(TOMLError) -> TOMLValue {
        advance()
        var elements: [TOMLValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            if peek == "]" {
                advance()
                return .array(elements)
            }
            elements.append(try parseValue())
            try skipWhitespaceCommentsAndNewlines()
            switch peek {
            case ",":
                advance()
            case "]":
                advance()
                return .array(elements)
            case nil:
                throw error("unterminated array: expected ']'")
            default:
                throw error("expected ',' or ']' after an array element, found \(found)")
            }
        }
    }

    /// inline-table = inline-table-open [ inline-table-keyvals ] inline-table-close
    /// inline-table-keyvals = keyval [ inline-table-sep inline-table-keyvals ]
    ///
    /// No newlines and no trailing comma (TOML v1.0.0).
    private mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        advance()
        let table = TOMLTableBuilder(origin: .inline, path: valuePath)
        skipWhitespace()
        if peek == "}" {
            advance()
            return .table(table.freeze())
        }
        while true {
            try parseKeyValue(into: table)
            skipWhitespace()
            switch peek {
            case ",":
                advance()
                skipWhitespace()
                if peek == "}" { throw error("a trailing comma is not allowed in an inline table") }
            case "}":
                advance()
                return .table(table.freeze())
            case "\n", "\r":
                throw error("an inline table must be written on one line")
            case nil:
                throw error("unterminated inline table: expected '}'")
            default:
                throw error("expected ',' or '}' after a value in an inline table, found \(found)")
            }
        }
    }
}
