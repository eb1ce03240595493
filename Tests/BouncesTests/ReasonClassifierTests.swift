import Testing

@testable import Bounces

/// The phase and status rules of `ReasonClassifier`, on diagnostic lines of the kinds real MTAs write.
@Suite struct ReasonClassifierTests {
    @Test(arguments: [
        ("host mx.example.net[192.0.2.1] said: 550 Unknown user (in reply to end of DATA command)", SMTPCommand.data),
        ("SMTP error from remote mail server after RCPT TO:<u@example.net>: 550 unknown", .rcpt),
        ("192.0.2.1 does not like recipient. Remote host said: 550 no mailbox", .rcpt),
        ("192.0.2.1 failed after I sent the message. Remote host said: 554 refused", .data),
        ("SMTP error from remote mail server after MAIL FROM:<s@example.org>: 550 denied", .mail),
        ("SMTP error from remote mail server after initial connection: 554 go away", .connection),
    ])
    func commandFromDiagnostic(text: String, command: SMTPCommand) {
        #expect(SMTPCommand.named(in: text) == command)
    }

    @Test func noCommandNamed() {
        #expect(SMTPCommand.named(in: "550 5.1.1 User unknown") == nil)
    }

    @Test(arguments: [
        // RFC 3463 x.1.1 decides, in any phase.
        (
            "550 5.1.1 <u@example.net>... User unknown (in reply to end of DATA command)", "5.1.1",
            BounceReason.userUnknown
        ),
        // In reply to RCPT TO the mailbox is unknown; in reply to DATA a filter refused the message.
        ("550 5.2.1 <u@example.net>... User Unknown (in reply to RCPT TO command)", "5.2.1", .userUnknown),
        ("550 Unknown user u@example.net (in reply to end of DATA command)", "5.0.0", .filtered),
        // Postfix "Recipient address rejected: <why>": the why decides.
        ("550 5.7.0 <u@example.net>: Recipient address rejected: Spam detected", "5.7.0", .spamDetected),
        // Exchange Online's 5.1.10 for an unknown recipient, RFC 7505 null MX otherwise.
        (
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", "5.1.10",
            .userUnknown
        ),
        ("556 5.1.10 Domain does not accept mail", "5.1.10", .notAccept),
        // A temporary name-server failure is a network problem.
        ("Name service error for domain example.net: Host not found, try again", "4.4.3", .networkError),
        ("connect to example.net[192.0.2.1]:25: Connection timed out", "4.4.1", .expired),
        ("554 5.6.0 This message has been scored as spam with a probability of 99%", "5.6.0", .spamDetected),
        ("552 5.6.0 Headers too large (32 max)", "5.6.0", .contentError),
        ("procmail: Couldn't create \"/var/spool/mail/u\": No such user", "5.1.1", .mailerError),
        ("SMTP error from remote mail server after EHLO mx.example.org: 550 Rejected", "5.0.0", .blocked),
    ])
    func classification(diagnostic: String, status: String, reason: BounceReason) {
        #expect(ReasonClassifier.classify(diagnostic: diagnostic, status: status) == reason)
    }

    @Test func emptyDiagnosticIsUndefined() {
        #expect(ReasonClassifier.classify(diagnostic: "", status: nil, context: "Some notice.") == .undefined)
    }
}

/// The byte-level helpers the parser's hot paths use.
@Suite struct TextHelperTests {
    @Test func phraseSetPrefersTheLowestGroup() {
        let set = PhraseSet([["mailbox full"], ["full", "x"]])
        #expect(set.firstGroup(in: "Your MAILBOX FULL error".utf8) == 0)
        #expect(set.firstGroup(in: "disk full".utf8) == 1)
        #expect(set.firstGroup(in: "X marks".utf8) == 1)
        #expect(set.firstGroup(in: "nothing here".utf8) == nil)
        #expect(set.firstGroup(in: "".utf8) == nil)
    }

    @Test(arguments: [
        ("  a \t b\n\nc  ", "a b c"),
        ("", ""),
        ("é  ü", "é ü"),
    ])
    func oneLine(text: String, expected: String) {
        #expect(TextScanner.oneLine(text) == expected)
    }

    @Test func htmlToText() {
        let html = "<p>Delivery&nbsp;failed:</p><div>&lt;user@example.net&gt;</div><BR>R&amp;D<b>bold</b>"
        #expect(HTMLText.strip(html) == "\nDelivery failed:\n<user@example.net>\n\nR&Dbold")
    }

    @Test(arguments: [
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\r\r\nb", "a\nb"),
        ("a\rb\r", "a\nb\n"),
        ("a\nb", "a\nb"),
        // Past the first eight-byte word, and none at all in a longer text.
        ("0123456789abcdef0\r\nxyz\r", "0123456789abcdef0\nxyz\n"),
        ("0123456789abcdef0123456789", "0123456789abcdef0123456789"),
    ])
    func lineBreaksNormalized(input: String, expected: String) {
        #expect(BounceMessage.normalized(Array(input.utf8)) == Array(expected.utf8))
    }
}

/// Reply codes (RFC 5321 §4.2) in free text.
@Suite struct ReplyCodeTests {
    @Test(
        arguments: [
            ("host said: 550 5.1.1 unknown", 550),
            ("550-5.7.1 first line", 550),
            ("Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable", 421),
            ("message of 1,550,000 bytes", nil),
            ("version 4.550 here", nil),
            ("ID#550 ok", nil),
        ] as [(String, Int?)])
    func replyCode(text: String, code: Int?) {
        #expect(TextScanner.replyCode(in: text) == code)
    }
}

extension TextHelperTests {
    // RFC 5321 §4.2.1: a multi-line reply repeats its code on every line.
    @Test(arguments: [
        (
            "550-5.7.1 Our system 550-5.7.1 has detected 550 5.7.1 spam",
            "550-5.7.1 Our system has detected spam"
        ),
        ("451-Try 451 again later", "451-Try again later"),
        ("550 5.1.1 User unknown", "550 5.1.1 User unknown"),
        ("no code here", "no code here"),
    ])
    func continuationCodesRemoved(text: String, expected: String) {
        #expect(TextScanner.withoutContinuationCodes(text) == expected)
    }
}
