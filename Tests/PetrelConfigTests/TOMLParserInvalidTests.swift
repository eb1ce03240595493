import PetrelConfig
import Testing

@Suite("TOML parser: invalid documents")
struct TOMLParserInvalidTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var toml: String
        var line: Int
        var column: Int
        /// A part of the message that must appear.
        var message: String
        var testDescription: String { name }
    }

    static let syntax: [Case] = [
        Case(name: "missing value", toml: "a =", line: 1, column: 4, message: "expected a value, found end of input"),
        Case(name: "missing value before comment", toml: "a = # x", line: 1, column: 5, message: "expected a value"),
        Case(name: "missing equals", toml: "a 1", line: 1, column: 3, message: "expected '=' after the key, found '1'"),
        Case(name: "missing key", toml: "= 1", line: 1, column: 1, message: "expected a key, found '='"),
        Case(name: "empty bare key part", toml: "a. = 1", line: 1, column: 4, message: "expected a key"),
        Case(
            name: "two pairs on a line", toml: "a = 1 b = 2", line: 1, column: 7,
            message: "expected the end of the line"),
        Case(name: "bare string value", toml: "a = hello", line: 1, column: 5, message: "invalid value 'hello'"),
        Case(name: "lone carriage return", toml: "a = 1\rb = 2", line: 1, column: 6, message: "carriage return"),
        Case(name: "control character in comment", toml: "# ok\n# bad \u{7F}", line: 2, column: 7, message: "U+007F"),
        Case(name: "unterminated string", toml: "\na = \"abc", line: 2, column: 5, message: "unterminated string"),
        Case(name: "newline in basic string", toml: "a = \"ab\nc\"", line: 1, column: 5, message: "cannot span lines"),
        Case(name: "newline in literal string", toml: "a = 'ab\nc'", line: 1, column: 5, message: "cannot span lines"),
        Case(name: "invalid escape", toml: #"a = "x\qy""#, line: 1, column: 7, message: #"invalid escape sequence \q"#),
        Case(name: "short unicode escape", toml: #"a = "\u12""#, line: 1, column: 6, message: "4 hexadecimal digits"),
        Case(
            name: "surrogate escape", toml: #"a = "\uD800""#, line: 1, column: 6, message: "not a Unicode scalar value"),
        Case(name: "escape beyond U+10FFFF", toml: #"a = "\U00110000""#, line: 1, column: 6, message: "not a Unicode"),
        Case(
            name: "unescaped control character", toml: "a = \"x\u{01}\"", line: 1, column: 7,
            message: "U+0001 must be escaped"),
        Case(
            name: "unterminated multi-line string", toml: "a = \"\"\"\nabc\n", line: 1, column: 5,
            message: "unterminated multi-line"),
        Case(
            name: "too many closing quotes", toml: "a = \"\"\"x\"\"\"\"\"\"", line: 1, column: 14,
            message: "expected the end of the line"),
        Case(
            name: "multi-line key", toml: "\"\"\"k\"\"\" = 1", line: 1, column: 1,
            message: "multi-line string cannot be a key"),
        Case(name: "leading zero", toml: "a = 012", line: 1, column: 5, message: "leading zeros"),
        Case(name: "double underscore", toml: "a = 1__0", line: 1, column: 5, message: "invalid value"),
        Case(name: "trailing underscore", toml: "a = 10_", line: 1, column: 5, message: "invalid value"),
        Case(
            name: "integer overflow", toml: "a = 9223372036854775808", line: 1, column: 5,
            message: "does not fit in 64 bits"),
        Case(name: "signed hex", toml: "a = +0x10", line: 1, column: 5, message: "cannot have a sign"),
        Case(name: "bad hex digit", toml: "a = 0xG1", line: 1, column: 5, message: "invalid integer"),
        Case(name: "uppercase radix prefix", toml: "a = 0X10", line: 1, column: 5, message: "invalid value"),
        Case(name: "float without integer part", toml: "a = .5", line: 1, column: 5, message: "invalid value '.5'"),
        Case(name: "float without fraction digits", toml: "a = 1.", line: 1, column: 5, message: "invalid float"),
        Case(name: "float with leading zero", toml: "a = 03.14", line: 1, column: 5, message: "invalid float"),
        Case(name: "float overflow", toml: "a = 1e400", line: 1, column: 5, message: "out of range"),
        Case(name: "capitalised boolean", toml: "a = True", line: 1, column: 5, message: "invalid value"),
        Case(name: "invalid month", toml: "a = 2024-13-01", line: 1, column: 5, message: "invalid date or time"),
        Case(name: "february 30", toml: "a = 2023-02-29", line: 1, column: 5, message: "invalid date or time"),
        Case(name: "time without seconds", toml: "a = 07:32", line: 1, column: 5, message: "invalid date or time"),
        Case(name: "array without comma", toml: "a = [1 2]", line: 1, column: 8, message: "expected ',' or ']'"),
        Case(name: "array leading comma", toml: "a = [,1]", line: 1, column: 6, message: "expected a value, found ','"),
        Case(name: "unterminated array", toml: "a = [1,\n2", line: 2, column: 2, message: "unterminated array"),
        Case(name: "inline table trailing comma", toml: "a = {x = 1,}", line: 1, column: 12, message: "trailing comma"),
        Case(name: "inline table newline", toml: "a = {x = 1\n}", line: 1, column: 11, message: "on one line"),
        Case(name: "header not closed", toml: "[a\nb = 1", line: 1, column: 3, message: "expected ']'"),
        Case(name: "array header not closed", toml: "[[a]\n", line: 1, column: 5, message: "expected ']]'"),
        Case(name: "space inside [[", toml: "[ [a]]", line: 1, column: 3, message: "expected a key, found '['"),
        Case(name: "text after header", toml: "[a] b = 1", line: 1, column: 5, message: "after a table header"),
    ]

    static let semantic: [Case] = [
        Case(name: "duplicate key", toml: "a = 1\na = 2", line: 2, column: 1, message: "duplicate key a"),
        Case(name: "duplicate quoted key", toml: "a = 1\n\"a\" = 2", line: 2, column: 1, message: "duplicate key a"),
        Case(name: "duplicate dotted key", toml: "a.b = 1\na.b = 2", line: 2, column: 3, message: "duplicate key a.b"),
        Case(
            name: "value then dotted table", toml: "a = 1\na.b = 2", line: 2, column: 1,
            message: "a is already defined as an integer"),
        Case(
            name: "table defined twice", toml: "[a]\n[b]\n[a]", line: 3, column: 2,
            message: "table a is already defined by a header"),
        Case(
            name: "sub-table defined twice", toml: "[a.b]\n[a.b]", line: 2, column: 4,
            message: "table a.b is already defined"),
        Case(
            name: "super-table defined twice", toml: "[x.y]\n[x]\n[x]", line: 3, column: 2,
            message: "table x is already defined"),
        Case(
            name: "header redefines dotted table", toml: "[fruit]\napple.color = 1\n[fruit.apple]", line: 3, column: 8,
            message: "table fruit.apple is already defined by dotted keys"
        ),
        Case(
            name: "dotted keys extend header table", toml: "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, column: 1,
            message: "cannot add keys to table a.b with dotted keys"
        ),
        Case(
            name: "header over a value", toml: "a = 1\n[a]", line: 2, column: 2,
            message: "a is already defined as an integer"),
        Case(
            name: "header over an inline table", toml: "a = {}\n[a]", line: 2, column: 2,
            message: "already defined as a table"),
        Case(
            name: "extend inline table by header", toml: "a = {b = 1}\n[a.c]", line: 2, column: 2,
            message: "inline table a cannot be extended"),
        Case(
            name: "extend inline table by dotted key", toml: "a = {b = 1}\na.c = 2", line: 2, column: 1,
            message: "a is already defined as a table"),
        Case(
            name: "duplicate key in inline table", toml: "a = {b = 1, b = 2}", line: 1, column: 13,
            message: "duplicate key a.b"),
        Case(
            name: "array of tables over static array", toml: "a = []\n[[a]]", line: 2, column: 3,
            message: "cannot append to static array a"),
        Case(
            name: "array of tables over table", toml: "[a]\n[[a]]", line: 2, column: 3,
            message: "a is already defined as a table, not an array"),
        Case(
            name: "table over array of tables", toml: "[[a]]\n[a]", line: 2, column: 2,
            message: "a is already defined as an array of tables"),
        Case(
            name: "dotted key into array of tables", toml: "[[a.b]]\n[a]\nb.c = 1", line: 3, column: 1,
            message: "cannot add keys to array of tables a.b"),
        Case(
            name: "duplicate key in array-of-tables element", toml: "[[a.b]]\nc = 1\nc = 2", line: 3, column: 1,
            message: "duplicate key a.b.c"
        ),
        Case(
            name: "duplicate key in nested inline table", toml: "[t]\nx = { y = { z = 1, z = 2 } }", line: 2,
            column: 20,
            message: "duplicate key t.x.y.z"
        ),
    ]

    @Test(arguments: syntax + semantic)
    func rejected(_ test: Case) {
        #expect {
            try TOMLParser.parse(test.toml)
        } throws: { error in
            guard let error = error as? TOMLError else { return false }
            #expect(error.line == test.line, "line of \(error)")
            #expect(error.column == test.column, "column of \(error)")
            #expect(error.message.contains(test.message), "message of \(error)")
            return true
        }
    }

    @Test func errorDescriptionHasLineAndColumn() {
        #expect(TOMLError(line: 3, column: 7, message: "duplicate key port").description == "3:7: duplicate key port")
    }
}
