import Foundation
import Testing

@testable import Webhooks

@Suite struct WebhookSignatureTests {
    private let secret = "whsec_0123456789abcdef"
    private let body = Array(#"{"id":"1","event":"opened","created":"2025-01-31T09:30:00Z","data":{}}"#.utf8)
    private let timestamp = 1_738_315_800
    private var now: Date { Date(timeIntervalSince1970: Double(timestamp) + 10) }

    /// RFC 4231 §4.3, test case 2: the one-shot libcrypto call agrees with the published vector.
    @Test func hmacMatchesRFC4231() throws {
        let mac = try #require(
            LibCrypto.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
        #expect(Hex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func headerIsTimestampAndHexHMACOfTimestampDotBody() {
        let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
        let expected = ReferenceHMAC.sha256(
            key: Array(secret.utf8), message: Array("\(timestamp).".utf8) + body)
        #expect(header == "t=\(timestamp),v1=\(ReferenceHMAC.hex(expected))")
    }

    @Test func genuineSignatureVerifies() {
        let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
        #expect(WebhookSignature.verify(header: header, secret: secret, body: body, now: now))
        // A second signature (secret rotation) and unknown elements do not disturb verification.
        let rotated = "t=\(timestamp),v1=\(String(repeating: "0", count: 64)),v0=abc," + header.split(separator: ",")[1]
        #expect(WebhookSignature.verify(header: rotated, secret: secret, body: body, now: now))
    }

    @Test func tamperedBodyFails() {
        let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "x")
        #expect(!WebhookSignature.verify(header: header, secret: secret, body: tampered, now: now))
        #expect(!WebhookSignature.verify(header: header, secret: secret, body: body + [0x0A], now: now))
    }

    @Test func wrongSecretFails() {
        let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
        #expect(!WebhookSignature.verify(header: header, secret: secret + "x", body: body, now: now))
        #expect(!WebhookSignature.verify(header: header, secret: "", body: body, now: now))
    }

    @Test func staleOrFutureTimestampFails() {
        let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
        let stale = Date(timeIntervalSince1970: Double(timestamp) + 301)
        let early = Date(timeIntervalSince1970: Double(timestamp) - 301)
        #expect(!WebhookSignature.verify(header: header, secret: secret, body: body, now: stale))
        #expect(!WebhookSignature.verify(header: header, secret: secret, body: body, now: early))
        #expect(WebhookSignature.verify(header: header, secret: secret, body: body, now: stale, tolerance: 600))
    }

    @Test func changedTimestampFails() {
        let header = WebhookSignature.header(secret: secret, timestamp: timestamp, body: body)
        let shifted = header.replacingOccurrences(of: "t=\(timestamp)", with: "t=\(timestamp + 1)")
        #expect(!WebhookSignature.verify(header: shifted, secret: secret, body: body, now: now))
    }

    @Test(arguments: ["", "t=1738315800", "v1=abcd", "t=x,v1=00", "garbage", "t=1738315800,v1=zz"])
    func malformedHeaderFails(header: String) {
        #expect(!WebhookSignature.verify(header: header, secret: secret, body: body, now: now))
    }
}
