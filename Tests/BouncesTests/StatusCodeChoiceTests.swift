import Testing

@testable import Bounces

/// Which enhanced status code (RFC 3463) a record carries: the Status field, the remote server's own code in
/// the diagnostic, or a pseudo code `x.0.9NN` standing for the reason.
@Suite struct StatusCodeChoiceTests {
    @Test(
        arguments: [
            ("host mx.example.net said: 550 5.1.1 <u@example.net>: User unknown", "5.1.1"),
            // The code after the reply code, even when the text quotes another one first.
            ("5.1.0 - Unknown address error 550-'5.7.1 <u@example.net>... Access denied'", "5.7.1"),
            ("550 #5.1.0 Address rejected.", "5.1.0"),
            // A catch-all x.0.0 and 4.4.7 only when nothing more specific follows.
            ("returned '550 4.4.7 QUEUE.Expired' then returned '441 4.4.1 Error encountered'", "4.4.1"),
            ("4.0.0 temporary failure", "4.0.0"),
            // Not a status code: an IP address, a version, a longer number.
            ("connect to 192.5.1.1 failed", nil),
            ("Exim v4.5.3 says no", nil),
            ("error 5.1.1234", nil),
        ] as [(String, String?)])
    func codeInDiagnostic(text: String, code: String?) {
        #expect(StatusCodeChoice.fromDiagnostic(text) == code)
    }

    @Test(arguments: [
        ("5.1.1", true), ("4.2.2", true), ("5.7.26", true), ("5.0.0", false), ("5.7.0", false),
        ("4.4.10", false), ("2.1.5", false),
    ])
    func specificCodes(code: String, specific: Bool) {
        #expect(StatusCodeChoice.isSpecific(code) == specific)
    }

    static func dsn(status: String, diagnostic: String) -> [UInt8] {
        Array(
            """
            From: MAILER-DAEMON@mx.example.org
            To: sender@example.org
            Subject: Delivery Status Notification (Failure)
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            Your message could not be delivered.

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.org

            Final-Recipient: rfc822; user@example.net
            Action: failed
            Status: \(status)
            Diagnostic-Code: smtp; \(diagnostic)

            --b--

            """.utf8)
    }

    @Test func specificDiagnosticCodeOutranksStatusField() {
        let record = BounceParser.parse(Self.dsn(status: "4.4.7", diagnostic: "451 4.2.2 Mailbox full")).first
        #expect(record?.deliveryStatus == "4.2.2")
        #expect(record?.reason == .mailboxFull)
    }

    @Test func genericDiagnosticCodeLeavesStatusField() {
        let record = BounceParser.parse(Self.dsn(status: "5.1.1", diagnostic: "550 5.7.0 No such user")).first
        #expect(record?.deliveryStatus == "5.1.1")
    }

    @Test func statusFieldBeforeFinalRecipient() {
        // RFC 3464 does not order the per-recipient fields; some MTAs write Action and Status first.
        let message = """
            From: MAILER-DAEMON@mx.example.org
            To: sender@example.org
            Subject: Mail Delivery Failure
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            I was unable to deliver your message.

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.org

            Action: failed
            Status: 5.0.0
            Diagnostic-Code: smtp; 550 user@example.net... No such user
            Final-Recipient: rfc822; user@example.net

            --b--

            """
        let records = BounceParser.parse(Array(message.utf8))
        #expect(records.map(\.recipient) == ["user@example.net"])
        #expect(records.first?.deliveryStatus == "5.0.0")
        #expect(records.first?.reason == .userUnknown)
    }

    static func textBounce(_ body: String) -> [UInt8] {
        Array("From: Mail Delivery Subsystem <mailer-daemon@mx.example.org>\nTo: sender@example.org\n\(body)".utf8)
    }

    @Test func pseudoCodeIsTemporaryOnlyWhenTheTextSaysSo() {
        let retried = Self.textBounce(
            """
            Subject: Delivery Status Notification (Delay)

            Delivery to the following recipient has been delayed:

                 user@example.net

            Message will be retried for 2 more day(s)
            """)
        #expect(BounceParser.parse(retried).first?.deliveryStatus == "5.0.947")
        let temporary = Self.textBounce(
            """
            Subject: Delivery Status Notification (Delay)

            Delivery to the following recipient has been delayed:

                 user@example.net

            Technical details of temporary failure: the recipient server did not accept our requests to connect.
            """)
        #expect(BounceParser.parse(temporary).first?.deliveryStatus == "4.0.947")
    }
}

/// Recipients named in a delivery-status part.
@Suite struct DeliveryStatusRecipientTests {
    @Test func x400FinalRecipientFallsBackToTheOriginal() {
        // RFC 3464 §2.3.2: a gateway's final recipient of another address type is not a mailbox.
        let message = """
            From: MAILER-DAEMON@gateway.example.org
            To: sender@example.org
            Subject: Delivery report
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            Your message was not delivered.

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: x400; mta gateway in /ADMD= /C=WW/

            Original-Recipient: rfc822; user@example.net
            Final-Recipient: x400; /RFC-822=user(a)example.net/ADMD= /C=WW/
            Action: failed
            Diagnostic-Code: Reason 1 (Unable-To-Transfer); Diagnostic -1 (Unknown)
            Status: 5.0.0

            --b--

            """
        let records = BounceParser.parse(Array(message.utf8))
        #expect(records.map(\.recipient) == ["user@example.net"])
        #expect(records.first?.deliveryStatus == "5.0.0")
    }
}

extension DeliveryStatusRecipientTests {
    /// Fuzzer find: a Final-Recipient of just "@" crashed the local-name rule (a force unwrap of its domain).
    @Test(arguments: ["@", "@@", "user@"])
    func finalRecipientWithoutDomain(final: String) {
        let message = """
            From: MAILER-DAEMON@mx.example.org
            To: sender@example.org
            Subject: Undelivered Mail Returned to Sender
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            Delivery failed.

            --b
            Content-Type: message/delivery-status

            Final-Recipient: rfc822; \(final)
            Original-Recipient: rfc822; user@example.net
            Action: failed
            Status: 5.1.1

            --b--

            """
        let records = BounceParser.parse(Array(message.utf8))
        #expect(records.allSatisfy { $0.recipient.contains("@") })
    }
}
