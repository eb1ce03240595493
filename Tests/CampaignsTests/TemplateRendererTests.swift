import Campaigns
import XCTest

final class TemplateRendererTests: XCTestCase {
    let sample = RenderContext(
        email: "ann@example.org", firstName: "Ann", lastName: "Lee", tags: ["vip", "beta"],
        fields: ["city": "Lyon", "empty": ""], campaignName: "Spring", campaignID: 42,
        campaignData: ["offer": "20%"], unsubscribeURL: "http://h/u/T", preferencesURL: "http://h/p/T",
        postalAddress: "1 Rue, Lyon")

    func render(_ template: EmailTemplate, _ context: RenderContext? = nil) throws -> RenderedEmail {
        try TemplateRenderer(template).render(context ?? sample)
    }

    func testEveryVariable() throws {
        let html = """
            {{email}} {{first_name}} {{last_name}} {{fields.city}} {{campaign.name}} {{campaign.id}} \
            {{campaign.offer}} {{unsubscribe_url}} {{preferences_url}} {{postal_address}} {{tags}}
            """
        let rendered = try render(EmailTemplate(subject: "", html: html))
        XCTAssertEqual(
            rendered.html, "ann@example.org Ann Lee Lyon Spring 42 20% http://h/u/T http://h/p/T 1 Rue, Lyon vip, beta")
    }

    func testHTMLPartEscapesDoubleBracesOnly() throws {
        var context = sample
        context.firstName = "<b>Tom & \"Jerry\"</b>'"
        let rendered = try render(
            EmailTemplate(subject: "", html: "{{first_name}}|{{{first_name}}}|{{&first_name}}"), context)
        XCTAssertEqual(
            rendered.html,
            "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;&#39;|<b>Tom & \"Jerry\"</b>'|<b>Tom & \"Jerry\"</b>'")
    }

    func testSubjectAndTextAreNotEscaped() throws {
        var context = sample
        context.firstName = "Tom & <Jerry>"
        let rendered = try render(
            EmailTemplate(subject: "Hi {{first_name}}", html: "x", text: "Hello {{first_name}}, {{fields.city}}"),
            context)
        XCTAssertEqual(rendered.subject, "Hi Tom & <Jerry>")
        XCTAssertEqual(rendered.text, "Hello Tom & <Jerry>, Lyon")
    }

    func testSubjectLineBreaksBecomeSpaces() throws {
        var context = sample
        context.firstName = "A\r\nBcc: evil@example.com\n\nX"
        let rendered = try render(EmailTemplate(subject: "Hi {{first_name}}\r\n!", html: ""), context)
        XCTAssertEqual(rendered.subject, "Hi A Bcc: evil@example.com X !")
        XCTAssertFalse(rendered.subject.contains("\r") || rendered.subject.contains("\n"))
    }

    func testTextPartKeepsItsLinesExactly() throws {
        let text = "\nHello {{first_name}}\n{{#tags}}\n- {{.}}\n{{/tags}}\nBye\n"
        let rendered = try render(EmailTemplate(subject: "", html: "", text: text))
        XCTAssertEqual(rendered.text, "\nHello Ann\n- vip\n- beta\nBye\n")
    }

    func testEmptyTextPartRendersEmpty() throws {
        XCTAssertEqual(try render(EmailTemplate(subject: "s", html: "<p>h</p>")).text, "")
    }

    func testEmptyValuesAreFalsey() throws {
        let html =
            "{{#first_name}}Hi {{first_name}}{{/first_name}}{{^first_name}}Hi there{{/first_name}}"
            + "{{#fields.empty}}E{{/fields.empty}}{{^tags}} no tags{{/tags}}"
        let context = RenderContext(email: "x@example.org")
        XCTAssertEqual(try render(EmailTemplate(subject: "", html: html), context).html, "Hi there no tags")
        XCTAssertEqual(try render(EmailTemplate(subject: "", html: html)).html, "Hi Ann")
    }

    func testSectionsOverObjectsAndLists() throws {
        let html =
            "{{#campaign}}{{name}}/{{offer}}/{{email}}{{/campaign}} {{#tags}}[{{.}}]{{/tags}}"
            + " {{#fields}}{{city}}{{/fields}} {{uppercased(first_name)}} {{#sorted(tags)}}{{.}};{{/sorted(tags)}}"
        XCTAssertEqual(
            try render(EmailTemplate(subject: "", html: html)).html,
            "Spring/20%/ann@example.org [vip][beta] Lyon ANN beta;vip;")
    }

    func testCampaignNameAndIDWinOverData() throws {
        var context = sample
        context.campaignData = ["name": "data-name", "id": "data-id"]
        XCTAssertEqual(
            try render(EmailTemplate(subject: "{{campaign.name}} {{campaign.id}}", html: ""), context).subject,
            "Spring 42")
    }

    func testCompileErrorNamesThePartAndLine() throws {
        for part in TemplatePart.allCases {
            var template = EmailTemplate(subject: "ok", html: "ok", text: "ok")
            switch part {
            case .subject: template.subject = "a\nb {{#x}} c"
            case .html: template.html = "a\nb {{#x}} c"
            case .text: template.text = "a\nb {{#x}} c"
            }
            XCTAssertThrowsError(try TemplateRenderer(template)) { error in
                guard let error = error as? TemplateCompileError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.part, part)
                XCTAssertEqual(error.line, 2, "\(part)")
                XCTAssertTrue(error.message.contains("section not closed"), error.message)
                XCTAssertTrue(error.message.contains("expectedSectionEnd"), error.message)
            }
        }
    }

    func testCompileErrorsListsEveryBadPart() {
        let template = EmailTemplate(subject: "{{/x}}", html: "fine {{a}}", text: "{{#a}}{{/b}}")
        let errors = TemplateRenderer.compileErrors(template)
        XCTAssertEqual(errors.map(\.part), [.subject, .text])
        XCTAssertTrue(errors[1].message.contains("different name"), errors[1].message)
        XCTAssertTrue(TemplateRenderer.compileErrors(EmailTemplate(subject: "a", html: "b")).isEmpty)
    }

    func testRenderOnePart() throws {
        let renderer = try TemplateRenderer(EmailTemplate(subject: "S {{first_name}}\n", html: "H", text: "T"))
        XCTAssertEqual(renderer.render(.subject, sample), "S Ann ")
        XCTAssertEqual(renderer.render(.html, sample), "H")
        XCTAssertEqual(renderer.render(.text, sample), "T")
    }
}
