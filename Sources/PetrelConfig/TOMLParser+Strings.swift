extension TOMLParser {
    /// basic-string = quotation-mark *basic-char quotation-mark
    ///
    /// The cursor is on the opening quotation mark.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let start = position
        advance()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek else { throw error("unterminated string", at: start) }
            switch scalar {
            case "\"":
                advance()
                return String(text)
            case "\\":
                text.append(try parseEscape())
            case "\n", "\r":
                throw error("unterminated string: a basic string cannot span lines (use \"\"\")", at: start)
            case _ where Self.isControl(scalar):
                throw error("\(Self.describe(scalar)) must be escaped in a string")
            default:
                text.append(advance())
            }
        }
    }

    /// ml-basic-string = ml-basic-string-delim [ newline ] ml-basic-body ml-basic-string-delim
    ///
    /// The cursor is after the opening `"""`.
    mutating func parseMultilineBasicString(start: Position) throws(TOMLError) -> String {
        _ = try consumeNewline()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek else { throw error("unterminated multi-line string", at: start) }
            switch scalar {
            case "\"":
                if try closeMultiline(quote: "\"", into: &text) { return String(text) }
            case "\\":
                if try skipLineEndingBackslash() { continue }
                text.append(try parseEscape())
            case "\n", "\r":
                _ = try consumeNewline()
                text.append("\n")
            case _ where Self.isControl(scalar):
                throw error("\(Self.describe(scalar)) must be escaped in a string")
            default:
                text.append(advance())
            }
        }
    }

    /// literal-string = apostrophe *literal-char apostrophe
    ///
    /// The cursor is on the opening apostrophe.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = position
        advance()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek else { throw error("unterminated string", at: start) }
            switch scalar {
            case "'":
                advance()
                return String(text)
            case "\n", "\r":
                throw error("unterminated string: a literal string cannot span lines (use ''')", at: start)
            case _ where Self.isControl(scalar):
                throw error("\(Self.describe(scalar)) is not allowed in a literal string")
            default:
                text.append(advance())
            }
        }
    }

    /// ml-literal-string = ml-literal-string-delim [ newline ] ml-literal-body ml-literal-string-delim
    ///
    /// The cursor is after the opening `'''`.
    mutating func parseMultilineLiteralString(start: Position) throws(TOMLError) -> String {
        _ = try consumeNewline()
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek else { throw error("unterminated multi-line string", at: start) }
            switch scalar {
            case "'":
                if try closeMultiline(quote: "'", into: &text) { return String(text) }
            case "\n", "\r":
                _ = try consumeNewline()
                text.append("\n")
            case _ where Self.isControl(scalar):
                throw error("\(Self.describe(scalar)) is not allowed in a literal string")
            default:
                text.append(advance())
            }
        }
    }

    /// At a run of quotes inside a multi-line string: one or two are content; three or more close the string,
    /// with up to two of them belonging to the content before the delimiter (mlb-quotes = 1*2quotation-mark).
    private mutating func closeMultiline(
        quote: Unicode.Scalar,
        into text: inout String.UnicodeScalarView
    ) throws(TOMLError) -> Bool {
        var count = 0
        while peek(at: count) == quote { count += 1 }
        let consumed = min(count, 5)
        for _ in 0..<consumed { advance() }
        let content = consumed >= 3 ? consumed - 3 : consumed
        text.append(contentsOf: repeatElement(quote, count: content))
        return consumed >= 3
    }

    /// mlb-escaped-nl = escape ws newline *( wschar / newline )
    ///
    /// A backslash that ends a line removes itself and all whitespace and newlines after it.
    private mutating func skipLineEndingBackslash() throws(TOMLError) -> Bool {
        var offset = 1
        while let scalar = peek(at: offset), scalar == " " || scalar == "\t" { offset += 1 }
        guard let next = peek(at: offset), next == "\n" || next == "\r" else { return false }
        advance()
        while true {
            skipWhitespace()
            guard try consumeNewline() else { return true }
        }
    }

    /// escaped = escape ( %x22 / %x5C / %x62 / %x66 / %x6E / %x72 / %x74 / %x75 4HEXDIG / %x55 8HEXDIG )
    private mutating func parseEscape() throws(TOMLError) -> Unicode.Scalar {
        let start = position
        advance()
        guard let letter = peek else { throw error("unterminated string", at: start) }
        advance()
        let digits: Int
        switch letter {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u": digits = 4
        case "U": digits = 8
        case _ where Self.isControl(letter) || letter == " ":
            throw error("invalid escape sequence: a backslash followed by \(Self.describe(letter))", at: start)
        default: throw error("invalid escape sequence \\\(Character(letter))", at: start)
        }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let scalar = peek, let digit = Self.hexDigitValue(scalar) else {
                throw error("\\\(Character(letter)) must be followed by \(digits) hexadecimal digits", at: start)
            }
            value = value << 4 | digit
            advance()
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("\\\(Character(letter))\(Self.hex(value)) is not a Unicode scalar value", at: start)
        }
        return scalar
    }

    static func hexDigitValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 0x30
        case "a"..."f": scalar.value - 0x61 + 10
        case "A"..."F": scalar.value - 0x41 + 10
        default: nil
        }
    }
}
