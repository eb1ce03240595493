import Campaigns
import XCTest

final class MachineActivityClassifierTests: XCTestCase {
    typealias Event = MachineActivityClassifier.Event

    static let iPhoneSafari =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
    static let chrome =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
    static let gmail = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"

    /// (kind, method, user agent, ip, seconds since sent, expected reason)
    static let table: [(MachineActivityClassifier.Kind, String, String, String, Double?, String?)] = [
        (.open, "GET", chrome, "203.0.113.5", 60, nil),
        (.click, "GET", iPhoneSafari, "2001:db8::1", 3600, nil),
        (.open, "GET", gmail, "66.249.84.1", 30, nil),
        (
            .open, "GET", "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html", "98.136.1.1", 30,
            nil
        ),
        (.click, "GET", chrome, "17.58.1.2", 30, nil),  // a person on Apple's network clicking
        (.click, "get", chrome, "203.0.113.5", nil, nil),
        (.open, "HEAD", chrome, "203.0.113.5", 60, "head-request"),
        (.click, "head", chrome, "203.0.113.5", 60, "head-request"),
        (.open, "GET", "", "203.0.113.5", 60, "empty-user-agent"),
        (.click, "GET", "   ", "203.0.113.5", 60, "empty-user-agent"),
        (.click, "GET", "Mozilla/5.0 (compatible; Barracuda Sentinel)", "203.0.113.5", 60, "scanner: Barracuda"),
        (.click, "GET", "mimecast-link-checker/1.0", "203.0.113.5", 60, "scanner: Mimecast"),
        (.click, "GET", "Mozilla/5.0 (compatible; BingPreview/1.0b)", "203.0.113.5", 60, "scanner: BingPreview"),
        (
            .click, "GET", "Microsoft Office Protocol Discovery", "203.0.113.5", 60,
            "scanner: Microsoft Office Protocol Discovery"
        ),
        (.click, "GET", "python-requests/2.31.0", "203.0.113.5", 60, "scanner: python-requests"),
        (.click, "GET", "curl/8.5.0", "203.0.113.5", 60, "scanner: curl/"),
        (.click, "GET", "Go-http-client/1.1", "203.0.113.5", 60, "scanner: Go-http-client"),
        (
            .click, "GET", chrome.replacingOccurrences(of: "Chrome", with: "HeadlessChrome"), "1.2.3.4", 60,
            "scanner: HeadlessChrome"
        ),
        (.click, "GET", "Slackbot-LinkExpanding 1.0", "203.0.113.5", 60, "scanner: Slackbot"),
        (.click, "GET", "facebookexternalhit/1.1", "203.0.113.5", 60, "scanner: facebookexternalhit"),
        (.click, "GET", "Mozilla/5.0 (compatible; Googlebot/2.1)", "203.0.113.5", 60, "scanner: Googlebot"),
        (.open, "GET", "Mozilla/5.0", "203.0.113.5", 600, "apple-privacy-proxy"),
        (.open, "GET", iPhoneSafari, "17.58.1.2", 600, "apple-privacy-proxy"),
        (.open, "GET", iPhoneSafari, "::ffff:17.0.0.1", 600, "apple-privacy-proxy"),
        (.open, "GET", iPhoneSafari, "::ffff:18.0.0.1", 600, nil),
        (.open, "GET", iPhoneSafari, "2620:149:a:1::5", 600, nil),  // IPv6 blocks only when configured
        (.open, "GET", iPhoneSafari, "18.0.0.1", 600, nil),
        (.open, "GET", iPhoneSafari, "16.255.255.255", 600, nil),
        (.open, "GET", iPhoneSafari, "not an address", 600, nil),
        (.open, "GET", "Mozilla/5.0 (Macintosh)", "203.0.113.5", 600, nil),
        (.click, "GET", "Mozilla/5.0", "203.0.113.5", 600, "bare-user-agent"),
        (.open, "GET", chrome, "203.0.113.5", 1.5, "too-soon-after-send"),
        (.click, "GET", chrome, "203.0.113.5", 0, "too-soon-after-send"),
        (.click, "GET", chrome, "203.0.113.5", -5, "too-soon-after-send"),
        (.click, "GET", chrome, "203.0.113.5", 2, nil),
    ]

    func testTable() {
        let classifier = MachineActivityClassifier()
        for (index, row) in Self.table.enumerated() {
            let event = Event(kind: row.0, method: row.1, userAgent: row.2, ip: row.3, secondsSinceSent: row.4)
            XCTAssertEqual(classifier.reason(for: event), row.5, "row \(index): \(row.2) \(row.3)")
            XCTAssertEqual(classifier.isMachine(event), row.5 != nil)
        }
    }

    func testConfigurableDelaysAndAgents() {
        let classifier = MachineActivityClassifier(
            minimumOpenDelay: 10, minimumClickDelay: 0, scannerAgents: ["AcmeScanner"], humanProxyAgents: [])
        let chrome = Self.chrome
        XCTAssertEqual(
            classifier.reason(
                for: Event(kind: .open, method: "GET", userAgent: chrome, ip: "1.1.1.1", secondsSinceSent: 5)),
            "too-soon-after-send")
        XCTAssertNil(
            classifier.reason(
                for: Event(kind: .click, method: "GET", userAgent: chrome, ip: "1.1.1.1", secondsSinceSent: 0)))
        XCTAssertEqual(
            classifier.reason(for: Event(kind: .click, method: "GET", userAgent: "x acmescanner/2", ip: "1.1.1.1")),
            "scanner: AcmeScanner")
        XCTAssertNil(classifier.reason(for: Event(kind: .click, method: "GET", userAgent: "curl/8", ip: "1.1.1.1")))
    }

    func testConfiguredAddressBlocks() {
        let classifier = MachineActivityClassifier(appleAddressBlocks: ["17.0.0.0/8", "2620:149::/32", "bogus"])
        let agent = Self.iPhoneSafari
        for (ip, machine) in [
            ("2620:149:a:1::5", true), ("[2620:0149::1]", true), ("2620:0149:0:0:0:0:0:1%en0", true),
            ("2620:14a::1", false), ("2620:148:ffff::1", false), ("17.255.255.255", true), ("::", false),
            ("2620:149::1::2", false), ("2620:149:1:2:3:4:5:6:7", false), ("1.2.3", false), ("256.1.1.1", false),
            ("::ffff:17.1.2.3", true), ("2620:149::17.1.2.3", true),
        ] {
            let event = Event(kind: .open, method: "GET", userAgent: agent, ip: ip, secondsSinceSent: 60)
            XCTAssertEqual(classifier.isMachine(event), machine, ip)
        }
    }
}
