import Bounces
import Testing

/// Bounce formats without an RFC 3464 report part, and malformed MIME, on synthetic messages.
@Suite struct BounceFormatTests {
    static let sesNotification = """
        From: AWS Notifications <no-reply@sns.amazonaws.com>
        To: ops@example.org
        Subject: AWS Notification Message
        Content-Type: text/plain; charset=UTF-8

        {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"gone@exam!
         ple.net","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}]},"mail":{"source":"ops@example.org"}}

        --
        If you wish to stop receiving notifications from this topic, please click the link below.
        """

    static let sesComplaintInEnvelope = """
        From: AWS Notifications <no-reply@sns.amazonaws.com>
        To: ops@example.org
        Subject: AWS Notification Message

        {
          "Type" : "Notification",
          "Message" : "{\\"notificationType\\":\\"Complaint\\",\\"complaint\\":{\\"complainedRecipients\\":[{\\"emailAddress\\":\\"reader@example.net\\"}],\\"complaintFeedbackType\\":\\"abuse\\"}}"
        }
        """

    static let eximAlias = """
        From: Mail Delivery System <Mailer-Daemon@mx.example.org>
        To: sender@example.org
        Subject: Mail delivery failed: returning message to sender

        This message was created automatically by mail delivery software.

        A message sent by

          <sender@example.org>

        could not be delivered to one or more of its recipients. The following
        address(es) failed:

          target@example.net
            (ultimately generated from alias@example.org)
            SMTP error from remote mail server after end of data:
            host mx.example.net [192.0.2.1]: 552 5.3.4 Message size exceeds fixed limit
        """

    /// The multipart's boundary parameter on a line of its own, not folded into Content-Type.
    static let unfoldedBoundary = """
        From: postmaster@example.net
        To: sender@example.org
        Subject: Undeliverable
        Content-Type: multipart/mixed;
        boundary="xyz"

        --xyz
        Content-Type: text/plain

        Error: Invalid user address
        550 - Requested action not taken: no such user here
          RCPT TO: nobody@example.net
        --xyz--
        """

    @Test func amazonSESBounceNotification() {
        let records = BounceParser.parse(Array(Self.sesNotification.utf8))
        #expect(records.map(\.recipient) == ["gone@example.net"])
        #expect(records.first?.reason == .userUnknown)
        #expect(records.first?.deliveryStatus == "5.1.1")
        #expect(records.first?.isHardBounce == true)
    }

    @Test func amazonSESComplaintThroughSNSEnvelope() {
        let records = BounceParser.parse(Array(Self.sesComplaintInEnvelope.utf8))
        #expect(records.map(\.recipient) == ["reader@example.net"])
        #expect(records.first?.reason == .feedback)
        #expect(records.first?.feedbackType == "abuse")
    }

    @Test func eximSenderAndAliasAreNotRecipients() {
        let records = BounceParser.parse(Array(Self.eximAlias.utf8))
        #expect(records.map(\.recipient) == ["target@example.net"])
        #expect(records.first?.reason == .messageTooBig)
        #expect(records.first?.deliveryStatus == "5.3.4")
    }

    @Test func boundaryOnItsOwnLine() {
        let records = BounceParser.parse(Array(Self.unfoldedBoundary.utf8))
        #expect(records.map(\.recipient) == ["nobody@example.net"])
        #expect(records.first?.reason == .userUnknown)
    }

    @Test(arguments: [sesNotification, eximAlias, unfoldedBoundary])
    func lineEndingsDoNotMatter(message: String) {
        let lf = Array(message.utf8)
        let crlf = Array(message.replacing("\n", with: "\r\n").utf8)
        #expect(BounceParser.parse(lf) == BounceParser.parse(crlf))
    }
}

/// Exim and OpenSMTPD bounces that quote no status code: what their own wording stands for.
@Suite struct MTAWordingTests {
    static func exim(_ failure: String, subject: String = "Mail delivery failed: returning message to sender")
        -> [UInt8]
    {
        Array(
            """
            From: Mail Delivery System <Mailer-Daemon@mx.example.org>
            To: sender@example.org
            Subject: \(subject)
            Message-Id: <E1abcDE-000xyz-Q1@mx.example.org>

            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              user@example.net
                \(failure)

            ------ This is a copy of the message, including all the headers. ------

            From: sender@example.org
            To: user@example.net
            Subject: hello

            hi
            """.utf8)
    }

    @Test func eximRetryTimeOutIsTemporary() {
        let record = BounceParser.parse(Self.exim("retry timeout exceeded")).first
        #expect(record?.recipient == "user@example.net")
        #expect(record?.reason == .expired)
        #expect(record?.deliveryStatus == "4.0.947")
    }

    @Test func eximRefusalOfMailFromIsHeld() {
        let failure = """
            SMTP error from remote mail server after MAIL FROM:<sender@example.org> SIZE=1024:
                host mx.example.net [192.0.2.2]: 550 sending host is on our block list
            """
        let record = BounceParser.parse(Self.exim(failure)).first
        #expect(record?.replyCode == 550)
        #expect(record?.deliveryStatus == "5.0.901")
    }

    @Test func eximWordingNeedsAnEximBounce() {
        // Not Exim's From, Message-ID form or subject: the reason's own pseudo code.
        let message = Array(
            """
            From: postmaster@mx.example.org
            To: sender@example.org
            Subject: Returned mail

            The following address failed:

              user@example.net
                retry timeout exceeded
            """.utf8)
        #expect(BounceParser.parse(message).first?.deliveryStatus == "5.0.947")
    }

    @Test func openSMTPDTextOutranksItsGenericStatus() {
        let message = """
            From: Mailer Daemon <MAILER-DAEMON@mx.example.org>
            To: sender@example.org
            Subject: Delivery status notification: delayed
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

                Hi!

                This is the MAILER-DAEMON, please DO NOT REPLY to this email.

                A message is delayed for more than 4 hours for the following
                list of recipients:

            user@example.net: Envelope expired

                Please note that this is only a temporary failure report.

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.org

            Final-Recipient: rfc822; user@example.net
            Action: delayed
            Status: 4.4.7

            --b--

            """
        let record = BounceParser.parse(Array(message.utf8)).first
        #expect(record?.reason == .expired)
        #expect(record?.deliveryStatus == "5.0.947")
    }
}
