import MailMessage
import NIOCore

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
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            var sawText = false
            while offset < bytes.count {
                var lineEnd = offset
                while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[offset..<lineEnd])
                let next = min(lineEnd + 1, bytes.count)
                if sawText && isSeparator(line) {
                    return (String(decoding: bytes[..<offset], as: UTF8.self), afterBlankLines(bytes[next...]))
                }
                if sawText && startsHeaderBlock(bytes[offset...]) {
                    return (
                        String(decoding: bytes[..<offset], as: UTF8.self),
                        String(decoding: bytes[offset...], as: UTF8.self)
                    )
                }
                if !sawText && line.contains(where: { $0 != 0x20 && $0 != 0x09 }) { sawText = true }
                offset = next
            }
            return nil
        }
    }

    private static let separators = PhraseSet([separatorPhrases])
    private static let follow = Array("follow".utf8)
    private static let below = Array("below".utf8)

    private static func isSeparator(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count < 120 else { return false }
        guard separators.matches(line) else { return false }
        let lower = line.map(PhraseSearch.lowered)
        let decorated =
            lower.starts(with: [0x2D]) || lower.starts(with: [0x3D]) || lower.starts(with: [0x2A])
            || lower.starts(with: [0x20, 0x2D]) || lower.starts(with: [0x20, 0x20, 0x2D]) || lower.starts(with: [0x5F])
        let endsWithColon = lower.last(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) == 0x3A
        return decorated || endsWithColon || PhraseSearch.contains(lower, follow) || PhraseSearch.contains(lower, below)
    }

    private static let headerBlockStarts = ["received: ", "return-path: ", "message-id: ", "dkim-signature: "].map {
        Array($0.utf8)
    }

    /// A header block starts here: a Received / Return-Path / Message-ID-like field followed by more fields.
    private static func startsHeaderBlock(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        // Runs on every line: first a test of the first letter (r, m or d) without allocating.
        guard let first = text.first.map(PhraseSearch.lowered), first == 0x72 || first == 0x6D || first == 0x64
        else { return false }
        let lower = text.prefix(16).map(PhraseSearch.lowered)
        guard headerBlockStarts.contains(where: { lower.starts(with: $0) }) else { return false }
        var fields = 0
        for line in text.split(separator: 0x0A, maxSplits: 6, omittingEmptySubsequences: false).prefix(6) {
            if let first = line.first, first == 0x20 || first == 0x09 { continue }
            guard let colon = line.firstIndex(of: 0x3A), !line[..<colon].contains(0x20) else { break }
            fields += 1
        }
        return fields >= 2
    }

    /// The text after the blank lines at its start (a line of spaces counts as blank).
    private static func afterBlankLines(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        var lineStart = bytes.startIndex
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x0A {
                lineStart = index + 1
            } else if byte != 0x20 && byte != 0x09 {
                break
            }
        }
        return String(decoding: bytes[lineStart...], as: UTF8.self)
    }

    /// Header fields of the returned original message.
    static func headers(_ original: ArraySlice<UInt8>) -> [HeaderField] {
        var start = original.startIndex
        while start < original.endIndex && (original[start] == 0x0A || original[start] == 0x20) { start += 1 }
        // Only the header section is copied into the buffer (the original is LF-normalized): RFC 5322 §2.1.
        var end = start
        while end < original.endIndex {
            guard let lineFeed = original[end...].firstIndex(of: 0x0A) else {
                end = original.endIndex
                break
            }
            end = lineFeed + 1
            if end < original.endIndex && original[end] == 0x0A { break }
        }
        return HeaderBlock.fields(of: ByteBuffer(bytes: original[start..<min(end + 1, original.endIndex)]))
    }

    // RFC 5322 §3.6.4: msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]
    /// The Message-ID without angle brackets, or "" when the field is absent or not in `<left@right>` form.
    static func messageID(_ headers: [HeaderField]) -> String {
        guard let value = headers.value(of: "Message-ID") else { return "" }
        let bytes = Array(value.utf8)
        guard let open = bytes.firstIndex(of: 0x3C), let close = bytes[open...].firstIndex(of: 0x3E) else { return "" }
        let id = bytes[(open + 1)..<close]
        guard id.contains(0x40), !id.contains(0x20) else { return "" }
        return String(decoding: id, as: UTF8.self)
    }
}
