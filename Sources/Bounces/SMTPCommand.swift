/// The SMTP command (RFC 5321 §4.1.1) a remote server was answering when it refused the message, as bounces
/// report it in their prose: Postfix "(in reply to RCPT TO command)", Exim "after end of data", qmail "does not
/// like recipient" / "failed after I sent the message", Sendmail ">>> DATA".
///
/// The phase decides what a refusal means: "user unknown" in reply to RCPT TO is about the mailbox, the same
/// words in reply to DATA come from a content filter or a per-recipient rule applied to the message.
enum SMTPCommand: Sendable, Hashable {
    /// The greeting or HELO/EHLO (RFC 5321 §4.1.1.1): the client host itself was refused.
    case connection
    /// MAIL FROM (RFC 5321 §4.1.1.2): the envelope sender was refused.
    case mail
    /// RCPT TO (RFC 5321 §4.1.1.3): the recipient was refused.
    case rcpt
    /// DATA or the end of the data (RFC 5321 §4.1.1.4): the message was refused.
    case data

    private static let table: [(SMTPCommand, [String])] = [
        (
            .data,
            [
                "end of data", "after data", "in reply to data", ">>> data", "failed after i sent the message",
                "data command", "(data)", "after sending message", "message data",
            ]
        ),
        (
            .rcpt,
            [
                "rcpt to", "rcpt_to", "does not like recipient", "smtp:rcpt", "in reply to rcpt", ">>> rcpt",
                "after rcpt",
            ]
        ),
        (
            .mail,
            [
                "mail from", "mail_from", "sender was rejected", ">>> mail", "after mail",
            ]
        ),
        (
            .connection,
            [
                "after ehlo", "after helo", "in reply to ehlo", "in reply to helo", "refused to talk to me",
                "after initial connection", "greeting", ">>> ehlo", ">>> helo",
            ]
        ),
    ]

    private static let phrases = PhraseSet(table.map(\.1))

    /// The command named in `text` (a diagnostic), if it names one; the first in SMTP order wins when it names
    /// several ("503 need RCPT" after a refused DATA names DATA first in the table).
    static func named(in text: String) -> SMTPCommand? {
        guard !text.isEmpty else { return nil }
        return phrases.firstGroup(in: text.utf8).map { table[$0].0 }
    }
}
