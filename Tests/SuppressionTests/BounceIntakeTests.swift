import Foundation
import Storage
import Suppression
import Testing

@Suite struct BounceIntakeTests {
    static let key = Array(repeating: UInt8(3), count: 32)
    static let queueID = "01JQ4M7X8Z9K2P3Q"

    static func dsn(recipient: String, status: String = "5.1.1") -> [UInt8] {
        let text = """
            From: MAILER-DAEMON@mx.example.net
            To: b@bounce.example.org
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="r"

            --r
            Content-Type: text/plain

            Delivery failed.

            --r
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.net

            Final-Recipient: rfc822; \(recipient)
            Action: failed
            Status: \(status)
            Diagnostic-Code: smtp; 550 \(status) No such user

            --r--
            """
        return Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    func intake(delivered: [String]) throws -> BounceIntake {
        let store = try SuppressionStore(database: PetrelDatabase(path: temporaryDatabasePath()))
        return BounceIntake(
            recorder: SuppressionRecorder(store: store, policy: SuppressionPolicy()),
            verp: VERPCodec(domain: "bounce.example.org", key: Self.key),
            recipientsOf: { id in id == Self.queueID ? delivered : [] })
    }

    @Test func theTokenNamesTheRecipientWhateverTheBodySays() async throws {
        let intake = try intake(delivered: ["jane@example.net"])
        let address = intake.verp!.address(queueID: Self.queueID, recipient: "jane@example.net")
        let results = try await intake.process(
            Self.dsn(recipient: "forwarded-alias@elsewhere.example"), envelopeRecipients: [address], source: "Q9")
        #expect(results.count == 1)
        #expect(results.first?.viaVERP == true)
        #expect(try intake.recorder.store.lookup("jane@example.net")?.kind == .hardBounce)
        #expect(try intake.recorder.store.lookup("forwarded-alias@elsewhere.example") == nil)
    }

    @Test func aForgedTokenIsNotTrusted() async throws {
        let intake = try intake(delivered: ["jane@example.net"])
        var address = Array(intake.verp!.address(queueID: Self.queueID, recipient: "jane@example.net"))
        address[20] = address[20] == "a" ? "b" : "a"
        let results = try await intake.process(
            Self.dsn(recipient: "other@example.net"), envelopeRecipients: [String(address)], source: "Q9")
        #expect(results.map(\.viaVERP) == [false])
        #expect(try intake.recorder.store.lookup("jane@example.net") == nil)
        #expect(try intake.recorder.store.lookup("other@example.net") != nil, "the body's recipient, as without VERP")
    }

    @Test func aWholeMessageTokenAcceptsOnlyThatMessagesRecipients() async throws {
        let intake = try intake(delivered: ["a@example.net", "b@example.net"])
        let address = intake.verp!.address(queueID: Self.queueID, recipient: nil)
        let stranger = try await intake.process(
            Self.dsn(recipient: "c@example.net"), envelopeRecipients: [address], source: "Q9")
        #expect(stranger.isEmpty)
        let known = try await intake.process(
            Self.dsn(recipient: "b@example.net"), envelopeRecipients: [address], source: "Q9")
        #expect(known.map(\.record.recipient) == ["b@example.net"])
        #expect(try intake.recorder.store.lookup("b@example.net") != nil)
    }

    @Test func aReportWithoutRecipientStillBouncesTheTokensRecipient() async throws {
        let intake = try intake(delivered: ["jane@example.net"])
        let address = intake.verp!.address(queueID: Self.queueID, recipient: "jane@example.net")
        let text = String(decoding: Self.dsn(recipient: "x"), as: UTF8.self).replacingOccurrences(
            of: "Final-Recipient: rfc822; x\r\n", with: "")
        #expect(!text.contains("Final-Recipient"))
        let results = try await intake.process(Array(text.utf8), envelopeRecipients: [address], source: "Q9")
        #expect(results.map(\.record.recipient) == ["jane@example.net"])
        #expect(try intake.recorder.store.lookup("jane@example.net")?.kind == .hardBounce)
        // Without a valid token the same report names nobody.
        let plain = try await intake.process(
            Array(text.utf8), envelopeRecipients: ["b@bounce.example.org"], source: "Q9")
        #expect(plain.isEmpty)
    }

    @Test func aTokenOfAForgottenMessageStillMatchesTheBouncedRecipientByTag() async throws {
        let intake = try intake(delivered: [])
        let address = intake.verp!.address(queueID: "01JQ4M7X8Z9K2P3R", recipient: "jane@example.net")
        let results = try await intake.process(
            Self.dsn(recipient: "jane@example.net"), envelopeRecipients: [address], source: "Q9")
        #expect(results.map(\.viaVERP) == [true])
        #expect(try intake.recorder.store.lookup("jane@example.net") != nil)
    }

    @Test func ordinaryMailIsNotABounce() async throws {
        let intake = try intake(delivered: [])
        let mail = Array("From: a@example.net\r\nTo: b@bounce.example.org\r\nSubject: hi\r\n\r\nHello\r\n".utf8)
        let results = try await intake.process(mail, envelopeRecipients: ["b@bounce.example.org"], source: "Q1")
        #expect(results.isEmpty)
        #expect(intake.recorder.store.count == 0)
    }
}
