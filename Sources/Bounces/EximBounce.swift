/// Exim's own bounce text (exim's deliver.c): "This message was created automatically by mail delivery
/// software. … The following address(es) failed:" with each address and its error indented below it.
///
/// Exim names no status code when the remote server gave none, or when the failure was local (a retry
/// time-out, a full mailbox, an unroutable address). What it then means is read from Exim's fixed wording
/// and from the SMTP command it names, the way the reference corpus (Sisimai) reads these bounces.
enum EximBounce {
    /// Whether the bounce was written by Exim: two of its From display name, its Message-ID form
    /// (`<1aBcDeF-000abc-Xy@host>`) and one of its subjects.
    static func matches(_ message: BounceMessage) -> Bool {
        var signs = 0
        if (message.header("From") ?? "").hasPrefix("Mail Delivery System") { signs += 1 }
        if isEximMessageID(message.header("Message-ID") ?? "") { signs += 1 }
        let subject = PhraseSearch.lowercasedBytes(message.header("Subject") ?? "")
        if subjects.contains(where: { PhraseSearch.contains(subject, $0) }) { signs += 1 }
        return signs >= 2
    }

    /// The pseudo status Exim's wording stands for when neither the Status field nor the diagnostic has a code:
    /// with a reply code, the class of that code; without one, temporary for a retry time-out or a full
    /// mailbox (Exim keeps the message and tries again), permanent otherwise. Nil when the wording names no
    /// reason.
    static func pseudoStatus(diagnostic: String, replyCode: Int?) -> String? {
        guard let reason = reason(diagnostic) else { return nil }
        if let replyCode { return reason.pseudoStatus(temporary: replyCode / 100 == 4) }
        return reason.pseudoStatus(temporary: reason == .expired || reason == .mailboxFull)
    }

    // Exim's transports/smtp.c: "SMTP error from remote mail server after <command>"; a refusal of the
    // greeting or HELO is about the client host, a refusal of MAIL FROM is held for a closer look.
    /// The reason Exim's wording gives, before the remote server's text is read.
    static func reason(_ diagnostic: String) -> BounceReason? {
        let lower = PhraseSearch.lowercasedBytes(diagnostic)
        if let end = commandMarkers.lazy.compactMap({ PhraseSearch.end(of: $0, in: lower) }).first {
            var start = end
            if lower[start...].starts(with: endOf) { start += endOf.count }
            let command = lower[start..<min(lower.count, start + 4)]
            if command.elementsEqual("helo".utf8) || command.elementsEqual("ehlo".utf8) { return .blocked }
            if command.elementsEqual("mail".utf8) { return .onHold }
        }
        let bytes = Array(diagnostic.utf8)
        for (reason, phrases) in messages where phrases.contains(where: { PhraseSearch.contains(bytes, $0) }) {
            return reason
        }
        if delayed.contains(where: { PhraseSearch.contains(bytes, $0) }) { return .expired }
        return nil
    }

    private static func isEximMessageID(_ value: String) -> Bool {
        // <\w{7}-\w{6}-\w{2}@
        let bytes = Array(value.utf8.drop { $0 == 0x20 })
        guard bytes.count > 18, bytes[0] == 0x3C, bytes[8] == 0x2D, bytes[15] == 0x2D, bytes[18] == 0x40 else {
            return false
        }
        let word = { (byte: UInt8) in TextScanner.isDigit(byte) || TextScanner.isLetter(byte) || byte == 0x5F }
        return [1..<8, 9..<15, 16..<18].allSatisfy { bytes[$0].allSatisfy(word) }
    }

    private static let subjects: [[UInt8]] = [
        "mail delivery failed", "warning: message ", "delivery status notification", "mail failure",
        "message frozen", "error(s) in forwarding or filtering",
    ].map { Array($0.utf8) }

    private static let commandMarkers: [[UInt8]] = [
        "smtp error from remote mail server after ", "smtp error from remote mailer after ", "lmtp error after ",
    ].map { Array($0.utf8) }
    private static let endOf = Array("end of ".utf8)

    /// Exim's fixed error texts (route.c, routers/dnslookup.c, transports/appendfile.c, parser.c, deliver.c).
    private static let messages: [(BounceReason, [[UInt8]])] = [
        (.userUnknown, ["user not found"]),
        (
            .hostUnknown,
            [
                "all host address lookups failed permanently", "all relevant MX records point to non-existent hosts",
                "Unrouteable address",
            ]
        ),
        (.mailboxFull, ["mailbox is full", "error: quota exceed"]),
        (.notAccept, ["an MX or SRV record indicated no SMTP service", "no host found for existing SMTP connection"]),
        (
            .syntaxError,
            [
                "angle-brackets nested too deep", "expected word or \"<\"", "domain missing in source-routed address",
                "malformed address:",
            ]
        ),
        (
            .systemError,
            ["delivery to file forbidden", "delivery to pipe forbidden", "local delivery failed", "LMTP error after "]
        ),
        (.contentError, ["Too many \"Received\" headers"]),
    ].map { reason, phrases in (reason, phrases.map { Array($0.utf8) }) }

    /// Exim's words for a message still queued or given up after retrying (retry.c, deliver.c, smtp.c).
    private static let delayed: [[UInt8]] = [
        "retry timeout exceeded", "No action is required on your part",
        "retry time not reached for any host after a long failure period",
        "all hosts have been failing for a long time and were last tried", "Delay reason: ", "has been frozen",
        "was frozen on arrival by ",
    ].map { Array($0.utf8) }
}
