import MailMessage

/// Finds the returned original message inside a bounce's text, and reads what a suppression list and a
/// campaign need from it.
enum ReturnedMessage {
    /// Phrases that introduce the returned message in non-MIME bounces (qmail "Below this line is a copy of
    /// the message", Exim "This is a copy of the message", Gmail "Original message", Sendmail "Unsent
    /// message follows", …).
    private static let separatorPhrases = [
        "copy of the message", "original message", "unsent message", "returned message", "message text follows",
        "message follows", "header of the original", "headers of the original", "original mail",
        "message header follows", "message headers follow", "the original message was", "copy of your message",
        "rejected message", "undelivered message", "header of returned", "headers of returned",
        "included below", "this message has been rejected", "original text follows",
    ]

    /// Splits `text` at the separator line before the returned message: (explanation, original).
    static func split(_ text: String) -> (explanation: String, original: String)? {
        var offset = text.startIndex
        var sawText = false
        while offset < text.endIndex {
            let lineEnd = text[offset...].firstIndex(of: "\n") ?? text.endIndex
            let line = text[offset..<lineEnd]
            let next = lineEnd < text.endIndex ? text.index(after: lineEnd) : text.endIndex
            if sawText && isSeparator(line) {
                return (String(text[..<offset]), String(text[next...]).trimmingLeadingBlankLines())
            }
            if sawText && startsHeaderBlock(text[offset...]) {
                return (String(text[..<offset]), String(text[offset...]))
            }
            if !sawText && line.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 }) { sawText = true }
            offset = next
        }
        return nil
    }

    private static let separatorBytes = separatorPhrases.map { Array($0.utf8) }
    private static let follow = Array("follow".utf8)
    private static let below = Array("below".utf8)

    private static func isSeparator(_ line: Substring) -> Bool {
        guard line.utf8.count < 120 else { return false }
        // Byte search: this runs on every line of every explanation.
        let lower = PhraseSearch.lowercasedBytes(String(line))
        guard separatorBytes.contains(where: { PhraseSearch.contains(lower, $0) }) else { return false }
        let text = String(decoding: lower, as: UTF8.self)
        let decorated =
            text.hasPrefix("-") || text.hasPrefix("=") || text.hasPrefix("*") || text.hasPrefix(" -")
            || text.hasPrefix("  -") || text.hasPrefix("_")
        let endsWithColon = text.trimmed.hasSuffix(":")
        return decorated || endsWithColon || PhraseSearch.contains(lower, follow) || PhraseSearch.contains(lower, below)
    }

    /// A header block starts here: a Received / Return-Path / Message-ID-like field followed by more fields.
    private static func startsHeaderBlock(_ text: Substring) -> Bool {
        let lower = text.prefix(16).lowercased()
        guard
            lower.hasPrefix("received: ") || lower.hasPrefix("return-path: ") || lower.hasPrefix("message-id: ")
                || lower.hasPrefix("dkim-signature: ")
        else { return false }
        var fields = 0
        for line in text.split(separator: "\n", maxSplits: 6, omittingEmptySubsequences: false).prefix(6) {
            if let first = line.first, first == " " || first == "\t" { continue }
            guard let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") else { break }
            fields += 1
        }
        return fields >= 2
    }

    /// Header fields of the returned original message.
    static func headers(_ original: ArraySlice<UInt8>) -> [HeaderField] {
        var start = original.startIndex
        while start < original.endIndex && (original[start] == 0x0A || original[start] == 0x20) { start += 1 }
        return MIMEWalker.entity(original[start...]).headers
    }

    // RFC 5322 §3.6.4: msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]
    /// The Message-ID without angle brackets, or "" when the field is absent or not in `<left@right>` form.
    static func messageID(_ headers: [HeaderField]) -> String {
        guard let value = headers.first(where: { $0.name.lowercased() == "message-id" })?.value else { return "" }
        guard let open = value.firstIndex(of: "<"), let close = value[open...].firstIndex(of: ">") else { return "" }
        let id = value[value.index(after: open)..<close]
        guard id.contains("@"), !id.contains(" ") else { return "" }
        return String(id)
    }
}

extension String {
    func trimmingLeadingBlankLines() -> String {
        var index = startIndex
        var lineStart = startIndex
        while index < endIndex {
            let character = self[index]
            if character == "\n" {
                lineStart = self.index(after: index)
            } else if character != " " && character != "\t" {
                break
            }
            index = self.index(after: index)
        }
        return String(self[lineStart...])
    }
}
