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
