import Foundation
import XCTest

@testable import Campaigns

final class TrackingLinksTests: XCTestCase {
    let tokens = TrackingTokens(key: Array("links test key".utf8))
    var links: TrackingLinks { TrackingLinks(baseURL: "http://127.0.0.1:8025/", tokens: tokens) }

    func rewrite(_ html: String) -> String { links.rewrite(html: html, campaign: 3, contact: 9) }

    func click(_ index: UInt16, _ url: String) -> String {
        links.clickURL(campaign: 3, contact: 9, link: index, url: url)
    }

    var pixel: String { links.openPixel(campaign: 3, contact: 9) }

    /// The click tokens in `html`, decoded.
    func clicks(_ html: String) -> [TrackingToken] {
        html.components(separatedBy: "http://127.0.0.1:8025/t/c/").dropFirst().compactMap { rest in
            tokens.decode(String(rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })))
        }
    }

    func testHelperURLs() throws {
        XCTAssertEqual(links.baseURL, "http://127.0.0.1:8025")
        let unsubscribe = links.unsubscribeURL(campaign: 3, contact: 9)
        XCTAssertTrue(unsubscribe.hasPrefix("http://127.0.0.1:8025/u/"))
        XCTAssertEqual(tokens.decode(String(unsubscribe.dropFirst(24)), as: .unsubscribe)?.contactID, 9)
        let preferences = links.preferencesURL(campaign: 3, contact: 9)
        XCTAssertTrue(preferences.hasPrefix("http://127.0.0.1:8025/p/"))
        XCTAssertEqual(tokens.decode(String(preferences.dropFirst(24)), as: .preferences)?.campaignID, 3)
        let confirm = links.confirmURL(contact: 4)
        XCTAssertTrue(confirm.hasPrefix("http://127.0.0.1:8025/confirm/"))
        XCTAssertEqual(tokens.decode(String(confirm.dropFirst(30)), as: .confirm)?.contactID, 4)
        let open = links.openURL(campaign: 3, contact: 9)
        XCTAssertEqual(tokens.decode(String(open.dropFirst(26)), as: .open)?.contactID, 9)
        XCTAssertEqual(
            pixel, "<img src=\"\(open)\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">")
    }

    func testRewritesLinksAndAddsThePixel() {
        let html = """
            <html><body><p>Hi <a href="https://example.com/a?x=1&amp;y=2" class="b">one</a>
            <A HREF='http://Example.com/two'>two</A> \
            <a target=_blank href=https://example.com/3>3</a></p></body></html>
            """
        let expected = """
            <html><body><p>Hi <a href="\(click(0, "https://example.com/a?x=1&y=2"))" class="b">one</a>
            <A HREF='\(click(1, "http://Example.com/two"))'>two</A> \
            <a target=_blank href=\(click(2, "https://example.com/3"))>3</a></p>\(pixel)</body></html>
            """
        let output = rewrite(html)
        XCTAssertEqual(output, expected)
        XCTAssertEqual(
            clicks(output).map(\.url),
            ["https://example.com/a?x=1&y=2", "http://Example.com/two", "https://example.com/3"])
        XCTAssertEqual(clicks(output).map(\.linkIndex), [0, 1, 2])
        XCTAssertEqual(clicks(output).map(\.campaignID), [3, 3, 3])
    }

    func testLeavesOtherLinksAlone() {
        let untouched = """
            <a href="mailto:a@example.org">m</a><a href="#top">t</a><a href="/relative">r</a>
            <a href="http://127.0.0.1:8025/u/TOKEN">u</a><a href='HTTP://127.0.0.1:8025/p/T'>p</a>
            <a href="https://example.com/x" data-no-track>n</a><a data-no-track="" href="https://example.com/y">n</a>
            <a DATA-NO-TRACK href=https://example.com/z>n</a><area href="https://example.com/area">
            <link href="https://example.com/style.css"><abbr title="https://example.com/x">abbr</abbr>
            <!-- <a href="https://example.com/commented">c</a> --><a name="x">no href</a><a href>empty</a>
            <img alt='<a href="https://example.com/in-attribute">' src="https://example.com/i.png">
            <a href="tel:+123">tel</a><a href="javascript:void(0)">js</a>
            """
        XCTAssertEqual(rewrite(untouched), untouched + pixel)
    }

    func testBaseURLMustEndAtAPathBoundary() {
        let html = #"<a href="http://127.0.0.1:80251/x">x</a><a href="http://127.0.0.1:8025?q">q</a>"#
        XCTAssertEqual(
            rewrite(html),
            #"<a href="\#(click(0, "http://127.0.0.1:80251/x"))">x</a><a href="http://127.0.0.1:8025?q">q</a>"# + pixel)
    }

    func testEntitiesAndWhitespaceInHref() {
        let html = "<a href=\" https://example.com/?a=&#49;&#x32;&lt;&quot;&amp;amp&unknown; \n\">x</a>"
        XCTAssertEqual(clicks(rewrite(html)).map(\.url), ["https://example.com/?a=12<\"&amp&unknown;"])
    }

    func testAttributesWithQuotedAngleBrackets() {
        let html = #"<a title="1 > 0" data-x='<b>' href="https://example.com/q">q</a>"#
        XCTAssertEqual(
            rewrite(html), #"<a title="1 > 0" data-x='<b>' href="\#(click(0, "https://example.com/q"))">q</a>"# + pixel)
    }

    func testOnlyTheFirstHrefCounts() {
        let html = ##"<a href="#here" href="https://example.com/second">x</a>"##
        XCTAssertEqual(rewrite(html), html + pixel)
    }

    func testPixelPlacement() {
        XCTAssertEqual(rewrite("<p>x</p>"), "<p>x</p>" + pixel)
        XCTAssertEqual(rewrite("<BODY>x</BODY >"), "<BODY>x\(pixel)</BODY >")
        XCTAssertEqual(rewrite("x</body>y</body>"), "x\(pixel)</body>y</body>")
        XCTAssertEqual(rewrite("</bodyx>"), "</bodyx>" + pixel)
        XCTAssertEqual(rewrite(""), pixel)
    }

    func testUnterminatedTagStopsRewriting() {
        let html = #"<a href="https://example.com/a">a</a><a href="https://example.com/b"#
        XCTAssertEqual(
            rewrite(html),
            #"<a href="\#(click(0, "https://example.com/a"))">a</a><a href="https://example.com/b"# + pixel)
    }

    func testNonASCIIContentSurvives() {
        let html = "<p>Grüße 🙂 <a href=\"https://例え.jp/ü\">ü</a></p></body>"
        let output = rewrite(html)
        XCTAssertEqual(output, "<p>Grüße 🙂 <a href=\"\(click(0, "https://例え.jp/ü"))\">ü</a></p>\(pixel)</body>")
    }

    /// Links resolved from one rendering are reused for the next only where the href bytes are the same:
    /// changed, added and removed links resolve afresh, so the output equals a rewrite without them.
    func testKnownLinksGiveTheSameOutput() {
        let first = Array(
            """
            <a href="https://a.example/x?a=1&amp;b=2">A</a><a href="mailto:m@example.org">M</a>\
            <a href="https://b.example/p/one">B</a></body>
            """.utf8)
        let known = links.knownLinks(html: first)
        XCTAssertEqual(known.map(\.url), ["https://a.example/x?a=1&b=2", nil, "https://b.example/p/one"])
        let variants = [
            first,
            Array(#"<a href="https://a.example/x?a=1&amp;b=2">A</a><a href="https://c.example/">C</a>"#.utf8),
            Array(#"<a href="https://b.example/p/two">B</a><a href="https://b.example/p/one">B</a>"#.utf8),
            Array(#"<p>no links</p></body>"#.utf8),
        ]
        for html in variants {
            XCTAssertEqual(
                links.rewrite(html: html, campaign: 3, contact: 9, known: known),
                links.rewrite(html: html, campaign: 3, contact: 9, known: []))
            XCTAssertEqual(
                String(decoding: links.rewrite(html: html, campaign: 3, contact: 9, known: known), as: UTF8.self),
                rewrite(String(decoding: html, as: UTF8.self)))
        }
    }
}
