import Foundation
import MailMessage

/// Builds an outgoing message: header fields, then a text part, an HTML part, or both as
/// multipart/alternative (RFC 2046 §5.1.4, text first), each quoted-printable (RFC 2045 §6.7) so that no
/// line exceeds 76 characters whatever the template holds. Non-ASCII subjects and display names become
/// encoded-words (RFC 2047). CRLF line ends throughout.
public struct MailComposer: Sendable {
    public var from: String
    public var fromName: String
    public var to: String
    public var subject: String
    public var replyTo: String
    public var messageID: String
    public var date: Date
    /// Further fields, in order (List-Unsubscribe, Feedback-ID …); values must be one line.
    public var headers: [(String, String)]
    public var text: String
    public var html: String

    public init(
        from: String, fromName: String = "", to: String, subject: String, replyTo: String = "", messageID: String,
        date: Date = Date(), headers: [(String, String)] = [], text: String = "", html: String = ""
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.replyTo = replyTo
        self.messageID = messageID
        self.date = date
        self.headers = headers
        self.text = text
        self.html = html
    }

    public func bytes() -> [UInt8] {
        bytes(text: Array(text.utf8), html: Array(html.utf8))
    }

    /// The message with these UTF-8 parts in place of ``text`` and ``html``.
    func bytes(text: [UInt8], html: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + html.count * 11 / 10 + 1024)
        func field(_ name: String, _ value: String) {
            out.appendUTF8(name)
            out.appendUTF8(": ")
            out.appendUTF8(value)
            out.appendUTF8("\r\n")
        }
        let display = fromName.isEmpty ? "" : Self.displayName(fromName) + " "
        field("From", display + "<\(from)>")
        field("To", "<\(to)>")
        if !replyTo.isEmpty { field("Reply-To", "<\(replyTo)>") }
        field("Subject", Self.headerText(subject))
        field("Date", RFC5322Date.format(date))
        field("Message-ID", messageID)
        for (name, value) in headers { field(name, Self.oneLine(value)) }
        field("MIME-Version", "1.0")
        switch (text.isEmpty, html.isEmpty) {
        case (false, false):
            // Letters and digits of the Message-ID: unique per message, and never in quoted-printable output
            // as "=_" (RFC 2045 §6.7 encodes "=" as "=3D"), so the boundary cannot occur in a part (RFC 2046 §5.1.1).
            let boundary =
                "=_petrel_"
                + String(decoding: messageID.utf8.lazy.filter { Self.isAlphanumeric($0) }.prefix(24), as: UTF8.self)
            field("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
            out.appendUTF8("\r\n")
            for (type, content) in [("text/plain", text), ("text/html", html)] {
                out.appendUTF8("--" + boundary + "\r\n")
                field("Content-Type", type + "; charset=utf-8")
                field("Content-Transfer-Encoding", "quoted-printable")
                out.appendUTF8("\r\n")
                Self.quotedPrintable(content, into: &out)
                out.appendUTF8("\r\n")
            }
            out.appendUTF8("--\(boundary)--\r\n")
        case (true, false), (false, true):
            let (type, content) = html.isEmpty ? ("text/plain", text) : ("text/html", html)
            field("Content-Type", "\(type); charset=utf-8")
            field("Content-Transfer-Encoding", "quoted-printable")
            out.appendUTF8("\r\n")
            Self.quotedPrintable(content, into: &out)
            out.appendUTF8("\r\n")
        case (true, true):
            field("Content-Type", "text/plain; charset=utf-8")
            out.appendUTF8("\r\n")
        }
        return out
    }

    /// CR and LF become spaces: a value can never start a new field.
    static func oneLine(_ value: String) -> String {
        // Bytes, not Characters: this runs for every header field of every message.
        guard value.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { return value }
        return String(value.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }

    /// Unstructured header text: ASCII as it is, otherwise RFC 2047 B encoded-words of at most 75 characters.
    static func headerText(_ value: String) -> String {
        let line = oneLine(value)
        guard !line.utf8.allSatisfy({ $0 < 0x80 }) else { return line }
        return encodedWords(line)
    }

    /// A display name: an atom-safe ASCII name as a quoted string, otherwise encoded-words.
    static func displayName(_ name: String) -> String {
        let line = oneLine(name)
        guard line.utf8.allSatisfy({ $0 < 0x80 }) else { return encodedWords(line) }
        return "\"" + line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    /// `=?UTF-8?B?…?=` words, split between characters, joined by folding whitespace (RFC 2047 §2, §5).
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            // 45 bytes → 60 base64 characters + 12 of "=?UTF-8?B?" and "?=" = 72 ≤ 75.
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk.append(contentsOf: bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Quoted-printable with CRLF line ends: lines broken at 76 characters with soft breaks, `=`, controls and
    /// non-ASCII encoded, trailing spaces and tabs encoded (RFC 2045 §6.7 rules 1–5). Writes through a pointer
    /// into room reserved for the worst case: it runs for every part of every campaign message.
    static func quotedPrintable(_ text: [UInt8], into out: inout [UInt8]) {
        text.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            // Worst case: every byte encoded (3), plus a soft break (3) per 25 encoded bytes, plus slack.
            let capacity = count * 3 + (count / 25 + 1) * 3 + 8
            let encoded = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                guard let output = buffer.baseAddress, let input = bytes.baseAddress else { return }
                qpKinds.withUnsafeBufferPointer { kinds in
                    var position = 0
                    var column = 0
                    var index = 0
                    func softBreak() {
                        output[position] = 61
                        output[position + 1] = 13
                        output[position + 2] = 10
                        position += 3
                        column = 0
                    }
                    while index < count {
                        let byte = input[index]
                        let kind = kinds[Int(byte)]
                        if kind <= qpSpace {
                            // A run of bytes that are themselves (rule 2; space and tab by rule 3), as much of it as
                            // fits on the line, copied at once: the common case.
                            if column == 75 { softBreak() }
                            let limit = min(count, index + 75 - column)
                            var end = index + 1
                            while end + 8 <= limit,
                                printableWord(UnsafeRawPointer(input + end).loadUnaligned(as: UInt64.self))
                            {
                                end += 8
                            }
                            while end < limit && kinds[Int(input[end])] <= qpSpace { end += 1 }
                            // …but a space or tab before a line break or the end is encoded (rule 3).
                            let last = input[end - 1]
                            if last == 32 || last == 9, end == count || kinds[Int(input[end])] == qpBreak { end -= 1 }
                            if end > index {
                                (output + position).update(from: input + index, count: end - index)
                                position += end - index
                                column += end - index
                                index = end
                                continue
                            }
                        } else if kind == qpBreak {
                            // Any of CR, LF, CRLF is one line break.
                            if byte == 13 && index + 1 < count && input[index + 1] == 10 { index += 1 }
                            output[position] = 13
                            output[position + 1] = 10
                            position += 2
                            column = 0
                            index += 1
                            continue
                        }
                        // Everything else is encoded (rule 1).
                        if column > 72 { softBreak() }
                        output[position] = 61
                        output[position + 1] = hexDigit(byte >> 4)
                        output[position + 2] = hexDigit(byte & 15)
                        position += 3
                        column += 3
                        index += 1
                    }
                    initialized = position
                }
            }
            out.append(contentsOf: encoded)
        }
    }

    /// Whether all 8 bytes of `word` are space or printable ASCII other than "=" (literal in quoted-printable
    /// but for a space's place): no byte with the high bit, below 0x20, 0x7F or 0x3D. Bit tricks that are
    /// exact for "any byte" (Hacker's Delight §6-1).
    @inline(__always)
    static func printableWord(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        guard word & highs == 0 else { return false }
        let below = (word &- ones &* 0x20) & ~word & highs != 0
        return !below && !hasZero(word ^ (ones &* 0x7F)) && !hasZero(word ^ (ones &* 0x3D))
    }

    private static let qpLiteral: UInt8 = 0
    private static let qpSpace: UInt8 = 1
    private static let qpBreak: UInt8 = 2
    private static let qpEncoded: UInt8 = 3
    /// What quoted-printable does with each byte: printable ASCII but "=" is literal, space and tab are literal
    /// unless a line ends after them, CR and LF break lines, the rest is encoded.
    private static let qpKinds: [UInt8] = (0...255).map { byte in
        switch byte {
        case 33...60, 62...126: qpLiteral
        case 9, 32: qpSpace
        case 10, 13: qpBreak
        default: qpEncoded
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 48 : nibble + 55 }
}
