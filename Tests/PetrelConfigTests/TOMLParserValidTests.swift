import PetrelConfig
import Testing

@Suite("TOML parser: valid documents")
struct TOMLParserValidTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var toml: String
        var expected: TOMLTable
        var testDescription: String { name }
    }

    static let scalars: [Case] = [
        Case(name: "empty document", toml: "", expected: TOMLTable()),
        Case(name: "comments and blank lines", toml: "# a\n\n  # b\r\n", expected: TOMLTable()),
        Case(name: "bare key", toml: "key = \"value\"", expected: TOMLTable(["key": .string("value")])),
        Case(name: "bare key chars", toml: "A-z_09 = 1", expected: TOMLTable(["A-z_09": .integer(1)])),
        Case(name: "numeric bare key", toml: "1234 = true", expected: TOMLTable(["1234": .boolean(true)])),
        Case(
            name: "quoted keys", toml: "\"a b\" = 1\n'c\"d' = 2",
            expected: TOMLTable(["a b": .integer(1), "c\"d": .integer(2)])),
        Case(name: "empty quoted key", toml: "\"\" = 1", expected: TOMLTable(["": .integer(1)])),
        Case(name: "trailing comment", toml: "a = 1 # one", expected: TOMLTable(["a": .integer(1)])),
        Case(name: "no spaces", toml: "a=false", expected: TOMLTable(["a": .boolean(false)])),
        Case(name: "CRLF", toml: "a = 1\r\nb = 2\r\n", expected: TOMLTable(["a": .integer(1), "b": .integer(2)])),
        Case(name: "byte order mark", toml: "\u{FEFF}a = 1", expected: TOMLTable(["a": .integer(1)])),
        Case(
            name: "basic string escapes",
            toml: #"s = "tab\tq\"b\\n\nu\u00E9U\U0001F600 \b\f\r""#,
            expected: TOMLTable(["s": .string("tab\tq\"b\\n\nu\u{E9}U\u{1F600} \u{08}\u{0C}\r")])
        ),
        Case(name: "literal string", toml: #"s = 'C:\path\"x"'"#, expected: TOMLTable(["s": .string(#"C:\path\"x""#)])),
        Case(name: "tab in string", toml: "s = \"a\tb\"", expected: TOMLTable(["s": .string("a\tb")])),
        Case(
            name: "multi-line basic, first newline trimmed",
            toml: "s = \"\"\"\nRoses\nViolets\"\"\"",
            expected: TOMLTable(["s": .string("Roses\nViolets")])
        ),
        Case(
            name: "multi-line basic, line-ending backslash",
            toml: "s = \"\"\"\\\n   The quick \\  \r\n\n  brown\"\"\"",
            expected: TOMLTable(["s": .string("The quick brown")])
        ),
        Case(
            name: "multi-line basic, quotes inside and before the delimiter",
            toml: "s = \"\"\"a\"b\"\"c\"\"\"\"\"",
            expected: TOMLTable(["s": .string("a\"b\"\"c\"\"")])
        ),
        Case(
            name: "multi-line basic, CRLF normalised", toml: "s = \"\"\"a\r\nb\"\"\"",
            expected: TOMLTable(["s": .string("a\nb")])),
        Case(
            name: "multi-line literal",
            toml: "s = '''\nI [dw]on't need \\d{2}\n'''",
            expected: TOMLTable(["s": .string("I [dw]on't need \\d{2}\n")])
        ),
        Case(
            name: "multi-line literal, apostrophes at end", toml: "s = '''it'''''",
            expected: TOMLTable(["s": .string("it''")])),
        Case(
            name: "decimal integers",
            toml: "a = +99\nb = 42\nc = 0\nd = -17\ne = 1_000\nf = 5_349_221\ng = -0\nh = +0",
            expected: TOMLTable([
                "a": .integer(99), "b": .integer(42), "c": .integer(0), "d": .integer(-17),
                "e": .integer(1000), "f": .integer(5_349_221), "g": .integer(0), "h": .integer(0),
            ])
        ),
        Case(
            name: "integer limits",
            toml: "a = 9223372036854775807\nb = -9223372036854775808",
            expected: TOMLTable(["a": .integer(.max), "b": .integer(.min)])
        ),
        Case(
            name: "hex, octal, binary",
            toml: "a = 0xDEADBEEF\nb = 0xdead_beef\nc = 0o01234567\nd = 0o755\ne = 0b11010110\nf = 0x00",
            expected: TOMLTable([
                "a": .integer(0xDEAD_BEEF), "b": .integer(0xDEAD_BEEF), "c": .integer(0o01234567),
                "d": .integer(0o755), "e": .integer(0b11010110), "f": .integer(0),
            ])
        ),
        Case(
            name: "floats",
            toml: "a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\nh = 224_617.445_991",
            expected: TOMLTable([
                "a": .float(1), "b": .float(3.1415), "c": .float(-0.01), "d": .float(5e22), "e": .float(1e6),
                "f": .float(-0.02), "g": .float(6.626e-34), "h": .float(224_617.445_991),
            ])
        ),
        Case(
            name: "infinities",
            toml: "a = inf\nb = +inf\nc = -inf",
            expected: TOMLTable(["a": .float(.infinity), "b": .float(.infinity), "c": .float(-.infinity)])
        ),
        Case(
            name: "date-times",
            toml: """
                a = 1979-05-27T07:32:00Z
                b = 1979-05-27 00:32:00.999999-07:00
                c = 1979-05-27T07:32:00
                d = 1979-05-27
                e = 00:32:00.999
                f = 2024-02-29t23:59:60z
                g = 1979-05-27 07:32:00 # local, with a space
                h = 1979-05-27 # a date, then a comment
                """,
            expected: TOMLTable([
                "a": .offsetDateTime("1979-05-27T07:32:00Z"),
                "b": .offsetDateTime("1979-05-27 00:32:00.999999-07:00"),
                "c": .localDateTime("1979-05-27T07:32:00"),
                "d": .localDate("1979-05-27"),
                "e": .localTime("00:32:00.999"),
                "f": .offsetDateTime("2024-02-29t23:59:60z"),
                "g": .localDateTime("1979-05-27 07:32:00"),
                "h": .localDate("1979-05-27"),
            ])
        ),
    ]

    @Test(arguments: scalars)
    func scalarValues(_ test: Case) throws {
        #expect(try TOMLParser.parse(test.toml) == test.expected)
    }

    @Test func nanIsAFloat() throws {
        let table = try TOMLParser.parse("a = nan\nb = -nan\nc = +nan")
        for key in ["a", "b", "c"] {
            #expect(table[key]?.floatValue?.isNaN == true)
        }
    }

    @Test func tableEqualityIgnoresOrder() {
        #expect(TOMLTable(["a": .integer(1), "b": .integer(2)]) == TOMLTable(["b": .integer(2), "a": .integer(1)]))
        #expect(TOMLTable(["a": .integer(1)]) != TOMLTable(["a": .integer(2)]))
    }

    @Test func keysKeepDocumentOrder() throws {
        let table = try TOMLParser.parse("z = 1\na = 2\n[m]\n[b]")
        #expect(table.keys == ["z", "a", "m", "b"])
        #expect(table.map(\.key) == ["z", "a", "m", "b"])
    }
}
