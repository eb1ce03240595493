import Campaigns
import XCTest

final class TemplateVariableCheckTests: XCTestCase {
    let known = TemplateVariables.standard(campaignData: ["offer"])

    func problems(_ html: String, sample: RenderContext? = nil) throws -> [TemplateProblem] {
        try TemplateRenderer(EmailTemplate(subject: "", html: html)).check(known: known, sample: sample)
    }

    func unknown(_ names: String...) -> [TemplateProblem] {
        names.map { TemplateProblem(part: "html", variable: $0, problem: "unknown") }
    }

    func testVariablesListsEveryKindOfTag() {
        let source = """
            {{! a comment {{not_this}} }}{{> partial}}{{a}} {{{b}}} {{&c}} {{#d}}{{e}}{{/d}}{{^f}}{{.}}{{/f}}
            {{ spaced }} {{uppercased(g)}} {{=<% %>=}}<% h %> {{not_a_tag}} <%={{ }}=%>{{i.j}} {{a}}
            """
        XCTAssertEqual(
            TemplateRenderer.variables(in: source), ["a", "b", "c", "d", "e", "f", "spaced", "g", "h", "i.j"])
    }

    func testKnownVariablesPass() throws {
        let html = """
            {{email}} {{first_name}} {{last_name}} {{fields.city}} {{fields.anything_at_all}} {{campaign.name}}
            {{campaign.id}} {{campaign.offer}} {{unsubscribe_url}} {{{preferences_url}}} {{postal_address}}
            {{#tags}}{{.}} {{email}}{{/tags}} {{tags}} {{#campaign}}{{name}} {{offer}} {{email}}{{/campaign}}
            {{#fields}}{{city}}{{/fields}} {{#first_name}}{{.}}{{/first_name}} {{lowercased(email)}}
            {{#tags}}{{index()}}{{/tags}}
            """
        XCTAssertEqual(try problems(html), [])
    }

    func testUnknownVariables() throws {
        XCTAssertEqual(
            try problems(
                "{{frist_name}} {{campaign.nope}} {{fields}} {{.}} {{#nope}}{{inner}}{{/nope}} {{frist_name}}"),
            unknown("frist_name", "campaign.nope", "fields", ".", "nope", "inner"))
        XCTAssertEqual(try problems("{{#campaign}}{{city}}{{/campaign}}"), unknown("city"))
        XCTAssertEqual(try problems("{{#tags}}{{.name}}{{/tags}}"), unknown(".name"))
    }

    func testUnknownIsReportedPerPart() throws {
        let template = EmailTemplate(subject: "{{a}}", html: "{{b}}", text: "{{c}} {{email}}")
        XCTAssertEqual(
            try TemplateRenderer(template).check(known: known),
            [
                TemplateProblem(part: "subject", variable: "a", problem: "unknown"),
                TemplateProblem(part: "html", variable: "b", problem: "unknown"),
                TemplateProblem(part: "text", variable: "c", problem: "unknown"),
            ])
    }

    func testMissingInSample() throws {
        let sample = RenderContext(email: "a@example.org", lastName: "", fields: ["city": "Oslo"])
        let html = """
            Hi {{first_name}} from {{fields.city}} in {{fields.country}}, {{campaign.offer}}.
            {{#last_name}}{{last_name}}{{/last_name}}{{^tags}}{{postal_address}}{{/tags}}{{#tags}}{{email}}{{/tags}}
            {{oops}}
            """
        XCTAssertEqual(
            try problems(html, sample: sample),
            unknown("oops")
                + ["first_name", "fields.country", "campaign.offer", "postal_address"].map {
                    TemplateProblem(part: "html", variable: $0, problem: "missing")
                })
    }

    func testStaticCheckReportsCompileErrors() {
        let problems = TemplateRenderer.check(
            EmailTemplate(subject: "{{#a}}", html: "{{b}}"), known: known, sample: nil)
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.part, "subject")
        XCTAssertEqual(problems.first?.variable, "")
        XCTAssertTrue(problems.first?.problem.contains("line 1") ?? false, "\(problems)")
        XCTAssertEqual(
            TemplateRenderer.check(EmailTemplate(subject: "{{x}}", html: ""), known: known),
            [TemplateProblem(part: "subject", variable: "x", problem: "unknown")])
    }

    func testProblemsEncodeAsJSON() throws {
        let data = try JSONEncoder().encode(TemplateProblem(part: "html", variable: "x", problem: "unknown"))
        let decoded = try JSONDecoder().decode(TemplateProblem.self, from: data)
        XCTAssertEqual(decoded, TemplateProblem(part: "html", variable: "x", problem: "unknown"))
    }
}
