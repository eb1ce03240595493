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
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + html.utf8.count * 11 / 10 + 1024)
        func field(_ name: String, _ value: String) {
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: value.utf8)
            out.append(contentsOf: "\r\n".utf8)
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
            let boundary = "=_petrel_" + messageID.filter { $0.isLetter || $0.isNumber }.prefix(24)
            field("Content-Type", "multipart/alternative; boundary=\"\(boundary)\"")
            out.append(contentsOf: "\r\n".utf8)
            for (type, content) in [("text/plain", text), ("text/html", html)] {
                out.append(contentsOf: "--\(boundary)\r\n".utf8)
                field("Content-Type", "\(type); charset=utf-8")
                field("Content-Transfer-Encoding", "quoted-printable")
                out.append(contentsOf: "\r\n".utf8)
                Self.quotedPrintable(content, into: &out)
                out.append(contentsOf: "\r\n".utf8)
            }
            out.append(contentsOf: "--\(boundary)--\r\n".utf8)
        case (true, false), (false, true):
            let (type, content) = html.isEmpty ? ("text/plain", text) : ("text/html", html)
            field("Content-Type", "\(type); charset=utf-8")
            field("Content-Transfer-Encoding", "quoted-printable")
            out.append(contentsOf: "\r\n".utf8)
            Self.quotedPrintable(content, into: &out)
            out.append(contentsOf: "\r\n".utf8)
        case (true, true):
            field("Content-Type", "text/plain; charset=utf-8")
            out.append(contentsOf: "\r\n".utf8)
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
    static func quotedPrintable(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let count = bytes.count
            // Worst case: every byte encoded (3), plus a soft break (3) per 25 encoded bytes, plus slack.
            let capacity = count * 3 + (count / 25 + 1) * 3 + 8
            let encoded = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                var position = 0
                var column = 0
                var index = 0
                while index < count {
                    let byte = bytes[index]
                    // The common case first: a printable byte other than "=" is itself (rule 2).
                    if byte >= 33 && byte <= 126 && byte != 61 {
                        if column == 75 {
                            buffer[position] = 61
                            buffer[position + 1] = 13
                            buffer[position + 2] = 10
                            position += 3
                            column = 0
                        }
                        buffer[position] = byte
                        position += 1
                        column += 1
                        index += 1
                        continue
                    }
                    if byte == 13 || byte == 10 {
                        // Any of CR, LF, CRLF is one line break.
                        if byte == 13 && index + 1 < count && bytes[index + 1] == 10 { index += 1 }
                        buffer[position] = 13
                        buffer[position + 1] = 10
                        position += 2
                        column = 0
                        index += 1
                        continue
                    }
                    // Space and tab are themselves except at a line end (rule 3); the rest is encoded (rule 1).
                    let atLineEnd = index + 1 == count || bytes[index + 1] == 13 || bytes[index + 1] == 10
                    let literal = (byte == 32 || byte == 9) && !atLineEnd
                    let width = literal ? 1 : 3
                    if column + width > 75 {
                        buffer[position] = 61
                        buffer[position + 1] = 13
                        buffer[position + 2] = 10
                        position += 3
                        column = 0
                    }
                    if literal {
                        buffer[position] = byte
                    } else {
                        buffer[position] = 61
                        buffer[position + 1] = hexDigit(byte >> 4)
                        buffer[position + 2] = hexDigit(byte & 15)
                    }
                    position += width
                    column += width
                    index += 1
                }
                initialized = position
            }
            out.append(contentsOf: encoded)
        }
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 48 : nibble + 55 }
}
