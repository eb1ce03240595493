import Foundation
import XCTest

@testable import Campaigns

final class TrackingTokensTests: XCTestCase {
    let tokens = TrackingTokens(key: Array("0123456789abcdef0123456789abcdef".utf8))
    let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    var samples: [TrackingToken] {
        [
            .open(campaign: 7, contact: 123_456),
            .click(campaign: 7, contact: 123_456, link: 3, url: "https://example.com/a?b=c&d=e#f"),
            .unsubscribe(campaign: 0, contact: 1),
            .preferences(campaign: Int64.max, contact: Int64.min),
            .confirm(contact: 99, issuedAt: now.addingTimeInterval(-3600)),
        ]
    }

    func testRoundTripEveryKind() {
        XCTAssertEqual(Set(samples.map(\.kind)), Set(TrackingKind.allCases))
        for token in samples {
            let text = tokens.make(token)
            XCTAssertEqual(tokens.decode(text, now: now), token, "\(token.kind)")
            XCTAssertEqual(tokens.decode(text, as: token.kind, now: now), token)
            XCTAssertNil(tokens.decode(text, as: token.kind == .open ? .click : .open, now: now))
        }
        XCTAssertEqual(tokens.make(.open(campaign: 7, contact: 123_456)).count, 28)
    }

    func testTokensAreURLSafe() {
        let allowed = Set(Self.alphabet)
        for token in samples {
            XCTAssertTrue(tokens.make(token).allSatisfy(allowed.contains))
        }
    }

    func testEverySingleCharacterChangeIsRejected() {
        for token in samples {
            let text = Array(tokens.make(token))
            for position in text.indices {
                for replacement in Self.alphabet where replacement != text[position] {
                    var altered = text
                    altered[position] = replacement
                    XCTAssertNil(tokens.decode(String(altered), now: now), "\(token.kind) at \(position)")
                }
            }
        }
    }

    func testTruncatedExtendedOrMangledTokensAreRejected() {
        for token in samples {
            let text = tokens.make(token)
            for length in 0..<text.count { XCTAssertNil(tokens.decode(String(text.prefix(length)), now: now)) }
            for junk in ["A", "AA", "AAA", "AAAA", "=", "==", ".", " ", "\n"] {
                XCTAssertNil(tokens.decode(text + junk, now: now), junk)
            }
            XCTAssertNil(tokens.decode(" " + text, now: now))
            // The standard alphabet's `+` and `/` are not base64url.
            let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            if standard != text { XCTAssertNil(tokens.decode(standard, now: now)) }
        }
        XCTAssertNil(tokens.decode("", now: now))
        XCTAssertNil(tokens.decode("not a token at all!", now: now))
    }

    func testAnotherKeyRejects() {
        let other = TrackingTokens(key: Array("another key entirely, 32 bytes!!".utf8))
        for token in samples { XCTAssertNil(other.decode(tokens.make(token), now: now)) }
    }

    func testUnicodeQueryAndFragmentURLsRoundTrip() {
        for url in [
            "https://例え.jp/パス?q=ü&x=%20y#frag ment", "http://a.example/?a=1&b=2&c=%E2%9C%93#top",
            "https://x.example/" + String(repeating: "long/", count: 400), "https://emoji.example/🙂?🙂=🙂",
        ] {
            let token = TrackingToken.click(campaign: 1, contact: 2, link: 65_535, url: url)
            let text = tokens.make(token)
            XCTAssertEqual(tokens.decode(text, now: now)?.url, url)
            XCTAssertEqual(tokens.decode(text, now: now)?.linkIndex, 65_535)
        }
    }

    func testConfirmationExpires() {
        let issued = now.addingTimeInterval(-100)
        let text = tokens.make(.confirm(contact: 5, issuedAt: issued))
        XCTAssertEqual(tokens.decode(text, now: now, confirmMaxAge: 100)?.issuedAt, issued)
        XCTAssertNil(tokens.decode(text, now: now, confirmMaxAge: 99))
        XCTAssertNil(tokens.decode(text, now: issued.addingTimeInterval(-301)))
        XCTAssertNotNil(tokens.decode(text, now: issued.addingTimeInterval(-299)))
        // Other kinds do not expire.
        XCTAssertNotNil(tokens.decode(tokens.make(.open(campaign: 1, contact: 1)), now: .distantFuture))
    }

    func testConfirmationIssueTimeIsWholeSeconds() {
        let token = TrackingToken.confirm(contact: 5, issuedAt: Date(timeIntervalSince1970: 1_000.75))
        XCTAssertEqual(token.issuedAt, Date(timeIntervalSince1970: 1_000))
        XCTAssertEqual(
            tokens.decode(tokens.make(token), now: Date(timeIntervalSince1970: 1_001))?.issuedAt, token.issuedAt)
    }

    func testVarintsAreMinimal() {
        for value: UInt64 in [0, 1, 127, 128, 300, UInt64(UInt32.max), UInt64.max] {
            var bytes = [UInt8](repeating: 0, count: 10)
            let count = TrackingTokens.writeVarint(value, to: &bytes)
            XCTAssertEqual(count, max(1, (64 - value.leadingZeroBitCount + 6) / 7))
            var slice = bytes[..<count]
            XCTAssertEqual(TrackingTokens.readVarint(&slice), value)
            XCTAssertTrue(slice.isEmpty)
        }
        for bad: [UInt8] in [
            [0x80, 0x00], [0x80], [], Array(repeating: 0xFF, count: 10) + [0x01],
            Array(repeating: 0xFF, count: 9) + [0x02],
        ] {
            var slice = bad[...]
            XCTAssertNil(TrackingTokens.readVarint(&slice), "\(bad)")
        }
    }

    func testBase64URLIsStrictAndCanonical() {
        for length in 0..<8 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 200) }
            let text = Base64URL.encode(bytes)
            XCTAssertFalse(text.contains("="))
            XCTAssertEqual(Base64URL.decode(text.utf8), bytes)
        }
        XCTAssertEqual(Base64URL.encode(Array("foobar".utf8)), "Zm9vYmFy")
        XCTAssertEqual(Base64URL.encode([0xFB, 0xFF]), "-_8")
        XCTAssertNil(Base64URL.decode("Zg=".utf8))
        XCTAssertNil(Base64URL.decode("Zh".utf8))  // non-zero unused bits: "Zg" is the canonical form
        XCTAssertNil(Base64URL.decode("Z".utf8))
        XCTAssertNil(Base64URL.decode("Zm+v".utf8))
    }
}
