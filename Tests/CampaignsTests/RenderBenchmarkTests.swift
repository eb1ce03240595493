import Campaigns
import Foundation
import XCTest

/// Not a pass/fail benchmark: prints renders per second (meaningful in a release build,
/// `swift test -c release -Xswiftc -enable-testing --filter RenderBenchmarkTests`).
final class RenderBenchmarkTests: XCTestCase {
    static func newsletter() -> EmailTemplate {
        var html = "<!DOCTYPE html><html><head><style>p { margin: 0 0 1em; }</style></head><body>\n"
        html += "<h1>Hello {{first_name}} {{last_name}}</h1>\n"
        for section in 1...12 {
            html += """
                <table role="presentation" width="100%"><tr><td style="padding:8px;font-family:Arial">
                <p>Section \(section) of {{campaign.name}}: news for {{fields.city}} readers, lorem ipsum dolor.</p>
                <a href="https://example.com/articles/\(section)?utm_source=petrel&amp;utm_campaign={{campaign.id}}">More</a>
                </td></tr></table>\n
                """
        }
        html += "{{#tags}}<span>{{.}}</span>{{/tags}}\n"
        html += "<p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a> {{postal_address}}</p></body></html>\n"
        return EmailTemplate(subject: "News for {{first_name}}", html: html, text: "Hi {{first_name}}")
    }

    func testRenderRate() throws {
        let template = Self.newsletter()
        XCTAssertGreaterThan(template.html.utf8.count, 2_800)
        let renderer = try TemplateRenderer(template)
        let context = RenderContext(
            email: "ann@example.org", firstName: "Ann", lastName: "Lee", tags: ["a", "b"], fields: ["city": "Lyon"],
            campaignName: "Spring", campaignID: 42, unsubscribeURL: "http://h/u/TOKEN", postalAddress: "1 Rue")
        let links = TrackingLinks(baseURL: "http://127.0.0.1:8025", tokens: TrackingTokens(key: [1, 2, 3]))
        #if DEBUG
            let count = 500
        #else
            let count = 50_000
        #endif
        var bytes = 0
        let start = Date()
        for _ in 0..<count { bytes &+= renderer.render(.html, context).utf8.count }
        let renderSeconds = Date().timeIntervalSince(start)
        let html = renderer.render(.html, context)
        let rewriteStart = Date()
        for contact in 0..<count / 10 {
            bytes &+= links.rewrite(html: html, campaign: 1, contact: Int64(contact)).utf8.count
        }
        let rewriteSeconds = Date().timeIntervalSince(rewriteStart)
        XCTAssertGreaterThan(bytes, 0)
        print(
            "HTML renders/s: \(Int(Double(count) / renderSeconds)) (\(template.html.utf8.count) B template);"
                + " link rewrites/s (12 links + pixel): \(Int(Double(count / 10) / rewriteSeconds))")
    }
}
