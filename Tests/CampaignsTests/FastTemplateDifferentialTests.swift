import XCTest

@testable import Campaigns

/// The fast renderer against swift-mustache on random templates: same bytes, or the fast path declines.
final class FastTemplateDifferentialTests: XCTestCase {
    /// SplitMix64, for reproducible templates.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let texts = [
        "a", " ", "  ", "\t", "\n", "\n", "\r\n", "\r", "x y", "<p>", "é", "{", "}", "{ {", "\u{0B}", "\u{85}",
        "\u{2028}", " \n", "\t\r\n", "Grüße", "🙂",
    ]
    static let names = [
        "email", "first_name", "last_name", "tags", "fields", "fields.city", "fields.zip", "campaign", "campaign.id",
        "campaign.name", "campaign.offer", "missing", ".", "unsubscribe_url", "postal_address", "name", "city",
        ".name", "id",
    ]
    static let sectionNames = [
        "first_name", "last_name", "tags", "fields", "campaign", "fields.city", "missing", "campaign.id",
        "fields.zip", "campaign.offer", "email",
    ]

    static func template(_ random: inout Random, depth: Int = 0, open: String = "{{", close: String = "}}") -> String {
        var output = ""
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            switch Int.random(in: 0..<20, using: &random) {
            case 0..<7:
                output += texts.randomElement(using: &random)!
            case 7..<11:
                let name = names.randomElement(using: &random)!
                let pad = Bool.random(using: &random) ? " " : ""
                switch Int.random(in: 0..<4, using: &random) {
                case 0 where open == "{{": output += "{{{\(pad)\(name)}}}"
                case 1: output += "\(open)&\(name)\(pad)\(close)"
                default: output += "\(open)\(pad)\(name)\(pad)\(close)"
                }
            case 11..<16 where depth < 3:
                let name = sectionNames.randomElement(using: &random)!
                let sigil = Bool.random(using: &random) ? "#" : "^"
                let before = ["", "\n", "  ", "\n  ", "x"].randomElement(using: &random)!
                let after = ["", "\n", " \n", "y", "\r\n"].randomElement(using: &random)!
                output += "\(before)\(open)\(sigil)\(name)\(close)\(after)"
                output += template(&random, depth: depth + 1, open: open, close: close)
                output += ["", "\n", "  ", "\n\t"].randomElement(using: &random)!
                output += "\(open)/\(name)\(close)" + ["", "\n", " ", "z\n"].randomElement(using: &random)!
            case 16:
                output +=
                    ["", "\n", "  "].randomElement(using: &random)! + "\(open)! note {{x}} \(close)"
                    + ["", "\n", " \n"].randomElement(using: &random)!
            case 17 where open == "{{" && depth < 3:
                output +=
                    ["", "\n"].randomElement(using: &random)! + "{{=<% %>=}}" + ["", "\n"].randomElement(
                        using: &random)!
                output += template(&random, depth: depth + 1, open: "<%", close: "%>")
                output += "<%={{ }}=%>"
            default:
                output += "\n"
            }
        }
        return output
    }

    static let contexts = [
        RenderContext(
            email: "ann@example.org", firstName: "Ann", lastName: "<Lee & \"Co\">", tags: ["vip", "b'eta"],
            fields: ["city": "Lyon", "zip": ""], campaignName: "Spring", campaignID: 42, campaignData: ["offer": "20%"],
            unsubscribeURL: "http://h/u/T?a=1&b=2", postalAddress: "1 Rue"),
        RenderContext(email: ""),
        RenderContext(email: "x@example.org", firstName: "\"\u{301} onload=x", tags: ["only"], fields: ["zip": "7"]),
        RenderContext(email: "y@example.org", lastName: "L", campaignData: ["offer": ""]),
    ]

    func testFastRendererMatchesSwiftMustache() throws {
        var random = Random(state: 20_251_125)
        var compared = 0
        var declined = 0
        for index in 0..<2_500 {
            let source = Self.template(&random)
            for part in [TemplatePart.html, .text] {
                guard let library = try? CompiledTemplatePart.compile(source, part: part) else { continue }
                guard let nodes = FastTemplateParser.parse(source) else {
                    declined += 1
                    continue
                }
                for context in Self.contexts {
                    let expected = library.render(MustacheScope(context: context))
                    guard
                        let fast = FastTemplateRenderer.render(
                            nodes, context: context, escapes: part.escapesHTML, capacity: 0)
                    else { continue }
                    compared += 1
                    if fast != expected {
                        XCTFail(
                            "template \(index) \(part): \(source.debugDescription)\nfast: \(fast.debugDescription)\n"
                                + "swift-mustache: \(expected.debugDescription)")
                        return
                    }
                }
            }
        }
        print("fast renderer: \(compared) renders compared, \(declined) templates declined")
        XCTAssertGreaterThan(compared, 10_000)
    }

    func testTypicalTemplatesUseTheFastPath() throws {
        let renderer = try TemplateRenderer(RenderBenchmarkTests.newsletter())
        XCTAssertTrue(renderer.subject.isFast)
        XCTAssertTrue(renderer.html.isFast)
        XCTAssertTrue(renderer.text?.isFast ?? false)
    }

    func testUnsupportedTemplatesStillRender() throws {
        let context = Self.contexts[0]
        for (source, expected) in [
            ("{{uppercased(first_name)}}", "ANN"),
            ("{{> partial}}x", "x"),
            ("{{#tags}}{{#first()}}{{.}}{{/first()}}{{/tags}}", "vip"),
            ("a {{{ first_name }}} é\u{301}{{last_name}}", "a Ann é\u{301}&lt;Lee &amp; &quot;Co&quot;&gt;"),
        ] {
            let renderer = try TemplateRenderer(EmailTemplate(subject: "", html: source))
            XCTAssertEqual(renderer.render(.html, context), expected, source)
        }
        XCTAssertFalse(try TemplateRenderer(EmailTemplate(subject: "", html: "{{lowercased(email)}}")).html.isFast)
    }

    func testCombiningMarkCannotHideAQuote() throws {
        let context = RenderContext(email: "e", firstName: "\"\u{301} onmouseover=alert(1) x=\"")
        // The same on both paths: the fast one and swift-mustache with Petrel's content type.
        for source in ["<a title=\"{{first_name}}\">", "<a title=\"{{uppercased(first_name)}}\">"] {
            let html = try TemplateRenderer(EmailTemplate(subject: "", html: source)).render(.html, context)
            XCTAssertFalse(html.contains("\"\u{301}"), html)
            XCTAssertFalse(html.unicodeScalars.filter { $0 == "\"" }.count > 2, html)
        }
    }
}
