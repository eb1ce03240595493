import PetrelConfig
import Testing

@Suite("TOML parser: keys, tables and arrays")
struct TOMLParserStructureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var toml: String
        var expected: TOMLTable
        var testDescription: String { name }
    }

    static func table(_ entries: KeyValuePairs<String, TOMLValue>) -> TOMLValue {
        .table(TOMLTable(entries))
    }

    static let cases: [Case] = [
        Case(
            name: "dotted keys",
            toml: "name.first = \"Tom\"\nname . last = \"P\"\nsite.\"google.com\" = true",
            expected: TOMLTable([
                "name": table(["first": .string("Tom"), "last": .string("P")]),
                "site": table(["google.com": .boolean(true)]),
            ])
        ),
        Case(
            name: "tables",
            toml: "[a]\nx = 1\n[ b . c ]\ny = 2\n[\"d e\"]",
            expected: TOMLTable([
                "a": table(["x": .integer(1)]),
                "b": table(["c": table(["y": .integer(2)])]),
                "d e": table([:]),
            ])
        ),
        Case(
            name: "super-table defined after its child",
            toml: "[x.y.z]\na = 1\n[x]\nb = 2",
            expected: TOMLTable(["x": table(["y": table(["z": table(["a": .integer(1)])]), "b": .integer(2)])])
        ),
        Case(
            name: "header adds a sub-table to a dotted-key table",
            toml: "[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true",
            expected: TOMLTable([
                "fruit": table([
                    "apple": table(["color": .string("red"), "texture": table(["smooth": .boolean(true)])])
                ])
            ])
        ),
        Case(
            name: "arrays, multi-line with comments and trailing comma",
            toml: "a = [ 1, 2, 3 ]\nb = [\n  \"x\", # first\n  'y',\n]\nc = []\nd = [[1, 2], [\"a\"], 1.5]",
            expected: TOMLTable([
                "a": .array([.integer(1), .integer(2), .integer(3)]),
                "b": .array([.string("x"), .string("y")]),
                "c": .array([]),
                "d": .array([.array([.integer(1), .integer(2)]), .array([.string("a")]), .float(1.5)]),
            ])
        ),
        Case(
            name: "inline tables",
            toml: "p = { x = 1, y.z = 2 }\ne = {}\nl = [ { a = 1 }, {b=2} ]",
            expected: TOMLTable([
                "p": table(["x": .integer(1), "y": table(["z": .integer(2)])]),
                "e": table([:]),
                "l": .array([table(["a": .integer(1)]), table(["b": .integer(2)])]),
            ])
        ),
        Case(
            name: "arrays of tables",
            toml: """
                [[fruits]]
                name = "apple"
                [fruits.physical]
                color = "red"
                [[fruits.varieties]]
                name = "red delicious"
                [[fruits]]
                name = "banana"
                """,
            expected: TOMLTable([
                "fruits": .array([
                    table([
                        "name": .string("apple"),
                        "physical": table(["color": .string("red")]),
                        "varieties": .array([table(["name": .string("red delicious")])]),
                    ]),
                    table(["name": .string("banana")]),
                ])
            ])
        ),
        Case(
            name: "empty array-of-tables elements",
            toml: "[[a]]\n[[a]]",
            expected: TOMLTable(["a": .array([table([:]), table([:])])])
        ),
    ]

    @Test(arguments: cases)
    func structure(_ test: Case) throws {
        #expect(try TOMLParser.parse(test.toml) == test.expected)
    }

    @Test func deepNestingIsRefused() {
        let deep = "a = " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: TOMLError.self) { try TOMLParser.parse(deep) }
        let fine = "a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try TOMLParser.parse(fine) }
    }

    @Test func deepKeysAreRefused() {
        let dotted = Array(repeating: "a", count: 129).joined(separator: ".")
        #expect(throws: TOMLError(line: 1, column: 1, message: "keys are nested more than 128 deep")) {
            try TOMLParser.parse(dotted + " = 1")
        }
        #expect(throws: TOMLError(line: 2, column: 2, message: "keys are nested more than 128 deep")) {
            try TOMLParser.parse("\n[\(dotted)]")
        }
        let inline = String(repeating: "{a = ", count: 130) + String(repeating: "}", count: 130)
        #expect(throws: TOMLError.self) { try TOMLParser.parse("x = " + inline) }
    }
}
