/// Reads the recipients and their errors out of the prose of a non-standard bounce (qmail, Exim, Gmail,
/// Exchange, provider-specific formats …): each failed address usually stands on its own line or at the
/// start of one, followed or preceded by the remote server's answer.
enum TextBounceScanner {
    struct Finding {
        var recipient: String
        var diagnostic: String
    }

    /// Local parts that name a mail system, not a person whose mail failed.
    private static let systemLocalParts: Set<String> = [
        "postmaster", "mailer-daemon", "mail-daemon", "mailerdaemon", "abuse", "noreply", "no-reply",
        "root", "daemon", "bounce", "bounces", "double-bounce",
    ]

    /// Header-like lines whose addresses are never the failed recipient.
    private static let mailto = Array("mailto:".utf8)

    private static let ignoredLinePrefixes: [[UInt8]] = [
        "from:", "reply-to:", "sender:", "return-path:", "received:", "message-id:", "date:", "in-reply-to:",
        "references:", "x-", "dkim-signature:", "list-", "errors-to:", "by ", "for <", "envelope-from",
        "mail from:", "sender address:", "content-", "mime-", "subject:",
    ].map { Array($0.utf8) }

    private static let helpDesk = PhraseSet([["please contact <", "please contact postmaster", "please send mail to"]])

    static func scan(_ explanation: String, excluding excluded: Set<String>) -> [Finding] {
        let lines = explanation.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map(Substring.init)
        // "For further assistance, please contact <help@provider>": the help desk, not the recipient, wherever
        // else the text names it.
        var excluded = excluded
        for line in lines where line.utf8.contains(0x40) && helpDesk.matches(line.utf8) {
            excluded.formUnion(TextScanner.addresses(in: String(line)))
        }
        var findings: [Finding] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let candidates = recipients(on: line, excluding: excluded)
            guard !candidates.isEmpty else {
                index += 1
                continue
            }
            // The error follows on the same line and the lines after it, up to a blank line or the next
            // address line.
            // Exim's "A message sent by\n\n  <sender>\n\ncould not be delivered": the sender, not a recipient.
            if previousText(before: index, in: lines).lowercased().hasSuffix("message sent by") {
                index += 1
                continue
            }
            var block = [rest(of: line, after: candidates)]
            var next = index + 1
            // Exim's "(generated from alias)" below the failed address belongs to its error.
            while next < lines.count, !isBlank(lines[next]),
                Set(recipients(on: lines[next], excluding: excluded)).isSubset(of: candidates)
                    || lines[next].trimmed.lowercased().hasPrefix("(generated from")
                    || lines[next].trimmed.lowercased().hasPrefix("(ultimately generated from")
            {
                block.append(String(lines[next]))
                next += 1
            }
            // An address line followed directly by a blank line: the error is the next paragraph (Exim,
            // Gmail), unless that paragraph starts with another address.
            if block.allSatisfy({ $0.trimmed.isEmpty }) || block.joined().trimmed.count < 3 {
                var after = next
                while after < lines.count && isBlank(lines[after]) { after += 1 }
                while after < lines.count, !isBlank(lines[after]),
                    Set(recipients(on: lines[after], excluding: excluded)).isSubset(of: candidates)
                {
                    block.append(String(lines[after]))
                    after += 1
                }
            }
            let diagnostic = TextScanner.oneLine(block.joined(separator: " "))
            for recipient in candidates {
                guard let found = findings.firstIndex(where: { $0.recipient == recipient }) else {
                    findings.append(Finding(recipient: recipient, diagnostic: diagnostic))
                    continue
                }
                // A list of failed addresses first, the server's answers later ("Technical details:"): the
                // mention that carries an SMTP reply is the error.
                if !hasSMTPReply(findings[found].diagnostic) && hasSMTPReply(diagnostic) {
                    findings[found].diagnostic = diagnostic
                }
            }
            index = next
        }
        return findings
    }

    /// The last non-blank line before `index`, trimmed.
    private static func previousText(before index: Int, in lines: [Substring]) -> String {
        var previous = index - 1
        while previous >= 0 && isBlank(lines[previous]) { previous -= 1 }
        return previous >= 0 ? lines[previous].trimmed : ""
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private static func hasSMTPReply(_ text: String) -> Bool {
        TextScanner.replyCode(in: text) != nil || TextScanner.enhancedStatus(in: text) != nil
    }

    private static func recipients(on line: Substring, excluding excluded: Set<String>) -> [String] {
        guard line.utf8.contains(0x40) else { return [] }
        let lower = PhraseSearch.lowercasedBytes(String(line))
        let start = lower.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? lower.endIndex
        if ignoredLinePrefixes.contains(where: { lower[start...].starts(with: $0) }) { return [] }
        if PhraseSearch.contains(lower, mailto) { return [] }
        let found = TextScanner.addresses(in: String(line))
        return found.filter { address in
            guard !excluded.contains(address) else { return false }
            // "user@example <other@example>": the first is a display name, the bracketed one the address.
            if found.count > 1, PhraseSearch.contains(lower, Array((address + " <").utf8)) { return false }
            let local = address.split(separator: "@").first.map(String.init) ?? ""
            return !systemLocalParts.contains(local) && !local.hasPrefix("mailer-daemon")
        }
    }

    /// The text of `line` after its last recipient address, without the punctuation that joins them.
    private static func rest(of line: Substring, after recipients: [String]) -> String {
        let bytes = Array(line.utf8)
        let needle = Array((recipients.last ?? "").utf8)
        guard let end = PhraseSearch.end(of: needle, in: bytes.map(PhraseSearch.lowered)) else { return String(line) }
        let trimmed = String(decoding: bytes[end...], as: UTF8.self).trimmingCharacters(">:.,;)]\"'")
        let before = String(decoding: bytes[..<(end - needle.count)], as: UTF8.self).trimmingCharacters("<:([\"'")
        // "550 5.1.1 <user@example>... User unknown": keep the code before the address too.
        if TextScanner.replyCode(in: before) != nil || TextScanner.enhancedStatus(in: before) != nil {
            return before + " " + trimmed
        }
        return trimmed
    }
}
