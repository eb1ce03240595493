import Foundation
import NIOCore
import Queue
import Spool
import Testing

@testable import Delivery

@Suite struct DSNBuilderTests {
    static func message(notify: UInt8 = 0, ret: String? = nil, sender: String = "alice@origin.test") -> SpooledMessage {
        var envelope = SpoolEnvelope(
            sender: sender,
            recipients: [
                SpoolRecipient(address: "bob@dest.test", orcpt: "rfc822;bob@dest.test", notify: notify),
                SpoolRecipient(address: "carol@dest.test"),
            ], arrival: Date(timeIntervalSince1970: 1_800_000_000))
        envelope.envid = "ENV42"
        envelope.ret = ret
        return SpooledMessage(id: QueueID.generate(), envelope: envelope, size: 40)
    }

    static let original = ByteBuffer(string: "Subject: hello\r\nMessage-ID: <m1@origin.test>\r\n\r\nbody line\r\n")
    static let unknown = RecipientOutcome(
        kind: .permanent, code: 550, status: "5.1.1", text: "user unknown", remoteHost: "mx.dest.test")

    static func text(_ built: (envelope: SpoolEnvelope, body: ByteBuffer)?) -> String {
        guard var body = built?.body else { return "" }
        return body.readString(length: body.readableBytes) ?? ""
    }

    /// RFC 3464 §2: the report's fields, per message and per recipient.
    @Test func failureNoticeFields() throws {
        let built = DSNBuilder(hostname: "mx.petrel.test").build(
            message: Self.message(), original: Self.original, recipients: [(0, Self.unknown)], kind: .failure,
            now: Date(timeIntervalSince1970: 1_800_000_100))
        let envelope = try #require(built?.envelope)
        #expect(envelope.sender == "")
        #expect(envelope.recipients.map(\.address) == ["alice@origin.test"])
        let text = Self.text(built)
        #expect(text.contains("Content-Type: multipart/report; report-type=delivery-status;"))
        #expect(text.contains("Reporting-MTA: dns; mx.petrel.test\r\n"))
        #expect(text.contains("Original-Envelope-Id: ENV42\r\n"))
        #expect(text.contains("Original-Recipient: rfc822;bob@dest.test\r\nFinal-Recipient: rfc822; bob@dest.test\r\n"))
        #expect(text.contains("Action: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx.dest.test\r\n"))
        #expect(text.contains("Diagnostic-Code: smtp; 550 5.1.1 user unknown\r\n"))
        #expect(text.contains("Content-Type: message/rfc822\r\n"))
        #expect(text.contains("Subject: hello\r\nMessage-ID: <m1@origin.test>\r\n\r\nbody line\r\n"))
        #expect(!text.contains("carol@dest.test"))
        #expect(text.hasSuffix("--\r\n"))
    }

    @Test func retHeadersReturnsHeadersOnly() {
        let text = Self.text(
            DSNBuilder(hostname: "h").build(
                message: Self.message(ret: "HDRS"), original: Self.original, recipients: [(0, Self.unknown)],
                kind: .failure, now: Date()))
        #expect(text.contains("Content-Type: text/rfc822-headers\r\n"))
        #expect(!text.contains("body line"))
    }

    /// RFC 3461 §4.1 and RFC 5321 §4.5.5: who gets no notice.
    @Test(arguments: [(UInt8(8), DSNBuilder.Kind.failure), (1, .failure), (0, .delay), (2, .delay)])
    func noticeNotWanted(notify: UInt8, kind: DSNBuilder.Kind) {
        let built = DSNBuilder(hostname: "h").build(
            message: Self.message(notify: notify), original: Self.original, recipients: [(0, Self.unknown)],
            kind: kind, now: Date())
        #expect(built == nil)
    }

    @Test func nullSenderNeverGetsANotice() {
        let built = DSNBuilder(hostname: "h").build(
            message: Self.message(sender: ""), original: Self.original, recipients: [(0, Self.unknown)],
            kind: .failure, now: Date())
        #expect(built == nil)
    }

    @Test func delayNotice() {
        let deferred = RecipientOutcome(kind: .temporary, code: 451, status: "4.3.0", text: "later")
        let text = Self.text(
            DSNBuilder(hostname: "h").build(
                message: Self.message(notify: 4 | 2), original: Self.original, recipients: [(0, deferred)],
                kind: .delay, now: Date(), willRetryUntil: Date(timeIntervalSince1970: 1_800_432_000)))
        #expect(text.contains("Action: delayed\r\nStatus: 4.3.0\r\n"))
        #expect(text.contains("Will-Retry-Until: "))
        #expect(text.contains("Subject: Delayed Mail (still being retried)"))
    }

    @Test func addressConversionRoundTrips() {
        #expect(EnvelopeConversion.mailbox("\"john doe\"@example.org")?.localPart == "john doe")
        #expect(EnvelopeConversion.reversePath("").description == "<>")
        #expect(EnvelopeConversion.mailbox("user@[192.0.2.1]")?.domain == .addressLiteral("192.0.2.1"))
    }
}
