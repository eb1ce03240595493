import Bounces
import Testing

@Suite struct BounceParserTests {
    static let dsn = """
        From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
        To: sender@example.org
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

        --b1
        Content-Type: text/plain

        I'm sorry to have to inform you that your message could not be delivered.

        --b1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.net

        Final-Recipient: rfc822; Nobody@Example.COM
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address
            rejected: User unknown in local recipient table

        Final-Recipient: rfc822; full@example.com
        Action: failed
        Status: 5.2.2
        Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

        --b1
        Content-Type: text/rfc822-headers

        From: sender@example.org
        To: nobody@example.com
        Message-ID: <abc.123@example.org>
        X-Campaign-ID: spring-42
        Subject: hello

        --b1--

        """

    @Test func aReportThatNamesNoRecipientGivesAnUnnamedRecord() throws {
        #expect(BounceParser.unnamedRecipientRecord(Array(Self.dsn.utf8)) == nil, "this one names its recipients")
        // One recipient's fields without its Final-Recipient (the second recipient's group dropped).
        let unnamed = Self.dsn.replacingOccurrences(of: "Final-Recipient: rfc822; Nobody@Example.COM\n", with: "")
            .replacingOccurrences(
                of: "Final-Recipient: rfc822; full@example.com\nAction: failed\nStatus: 5.2.2\n"
                    + "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n", with: ""
            )
            .replacingOccurrences(of: "To: nobody@example.com\n", with: "")
        #expect(!unnamed.contains("Final-Recipient") && !unnamed.contains("5.2.2"))
        #expect(BounceParser.parse(Array(unnamed.utf8)).isEmpty, "no recipient: no ordinary record")
        let record = try #require(BounceParser.unnamedRecipientRecord(Array(unnamed.utf8)))
        #expect(record.recipient.isEmpty && record.deliveryStatus == "5.1.1" && record.reason == .userUnknown)
        #expect(record.isHardBounce && record.action == "failed" && record.messageID == "abc.123@example.org")
        let delivered = unnamed.replacingOccurrences(of: "Action: failed", with: "Action: delivered")
        #expect(BounceParser.unnamedRecipientRecord(Array(delivered.utf8)) == nil, "a success notice")
        #expect(BounceParser.unnamedRecipientRecord(Array("Subject: hi\n\nhello\n".utf8)) == nil)
    }

    static let postfixText = """
        From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
        To: sender@example.org
        Subject: Undelivered Mail Returned to Sender

        This is the mail system at host mail.example.org.

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

        <gone@example.net>: host mx.example.net[192.0.2.1] said: 550 5.1.1
            <gone@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO
            command)

        --- Below this line is a copy of the message.

        From: sender@example.org
        To: gone@example.net
        Message-ID: <m1@example.org>
        Subject: hi

        body
        """

    static let arf = """
        From: abuse@provider.example
        To: fbl@example.org
        Subject: FW: Earn money
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=feedback-report; boundary="part"

        --part
        Content-Type: text/plain

        This is an email abuse report.

        --part
        Content-Type: message/feedback-report

        Feedback-Type: abuse
        User-Agent: SomeGenerator/1.0
        Version: 1
        Original-Rcpt-To: <complainer@provider.example>

        --part
        Content-Type: message/rfc822

        From: news@example.org
        To: complainer@provider.example
        Message-ID: <n1@example.org>
        Subject: Earn money

        Spam body
        --part--

        """

    static let autoReply = """
        From: Someone <someone@example.com>
        To: sender@example.org
        Subject: Automatic reply: hello
        Auto-Submitted: auto-replied

        I am out of the office until Monday; your message to someone@example.com will be read then.
        """

    @Test func deliveryStatusNotification() {
        let records = BounceParser.parse(Array(Self.dsn.utf8))
        #expect(records.map(\.recipient) == ["nobody@example.com", "full@example.com"])
        #expect(records[0].reason == .userUnknown)
        #expect(records[0].deliveryStatus == "5.1.1")
        #expect(records[0].replyCode == 550)
        #expect(records[0].isHardBounce)
        #expect(records[0].action == "failed")
        #expect(records[0].messageID == "abc.123@example.org")
        #expect(records[0].originalHeader("x-campaign-id") == "spring-42")
        #expect(records[1].reason == .mailboxFull)
        #expect(!records[1].isHardBounce)
    }

    @Test func postfixPlainTextBounce() {
        let records = BounceParser.parse(Array(Self.postfixText.utf8))
        #expect(records.count == 1)
        #expect(records.first?.recipient == "gone@example.net")
        #expect(records.first?.reason == .userUnknown)
        #expect(records.first?.deliveryStatus == "5.1.1")
        #expect(records.first?.messageID == "m1@example.org")
    }

    @Test func feedbackReport() {
        let records = BounceParser.parse(Array(Self.arf.utf8))
        #expect(records.count == 1)
        #expect(records.first?.recipient == "complainer@provider.example")
        #expect(records.first?.reason == .feedback)
        #expect(records.first?.feedbackType == "abuse")
        #expect(records.first?.deliveryStatus == "")
        #expect(records.first?.messageID == "n1@example.org")
    }

    @Test(arguments: [autoReply, "From: a@example.com\nTo: b@example.com\nSubject: lunch?\n\nSee you at noon.\n"])
    func notABounceYieldsNothing(message: String) {
        #expect(BounceParser.parse(Array(message.utf8)).isEmpty)
    }

    @Test(arguments: [dsn, postfixText, arf])
    func lineEndingsDoNotMatter(message: String) {
        let lf = Array(message.utf8)
        let crlf = Array(message.replacing("\n", with: "\r\n").utf8)
        #expect(BounceParser.parse(lf) == BounceParser.parse(crlf))
    }

    @Test(arguments: [
        (550, "5.1.1", "User unknown", BounceReason.userUnknown, true),
        (552, "5.2.2", "Mailbox full", .mailboxFull, false),
        (421, "4.7.0", "Try again later, too many connections", .tooManyConnections, false),
        (550, "5.7.1", "Service unavailable; client host blocked using zen.spamhaus.org", .blocked, false),
    ])
    func synchronousReplies(code: Int, enhanced: String, text: String, reason: BounceReason, hard: Bool) {
        let result = SMTPReplyClassifier.classify(code: code, enhancedCode: enhanced, text: text)
        #expect(result.reason == reason)
        #expect(result.isHardBounce == hard)
        #expect(result.deliveryStatus == enhanced)
    }

    @Test func mboxSplitting() {
        let mbox =
            "From a@b Thu Jan  1 00:00:00 2025\nSubject: one\n\n>From here\n\nFrom c@d Thu Jan  1 00:00:00 2025\n"
            + "Subject: two\n\nbody\n"
        let messages = MboxSplitter.split(Array(mbox.utf8))
        #expect(messages.count == 2)
        #expect(String(decoding: messages[0].bytes, as: UTF8.self) == "Subject: one\n\nFrom here\n")
    }
}
