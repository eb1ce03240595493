import NIOCore

/// A server reply, possibly multi-line (RFC 5321 §4.2), with an optional enhanced status code (RFC 2034).
public struct SMTPReply: Hashable, Sendable {
    /// The three-digit reply code (RFC 5321 §4.2.1).
    public var code: Int
    /// Written after the code on every line (RFC 2034 §4).
    public var enhanced: EnhancedStatusCode?
    /// The text lines, without code, separator or enhanced code.
    public var lines: [String]

    /// A reply with one line per line of `text` (split at CR, LF or CRLF).
    public init(code: Int, enhanced: EnhancedStatusCode? = nil, _ text: String) {
        if !Self.mayBreakLines(text) {
            self.init(code: code, enhanced: enhanced, lines: [text])  // the common case: one line
            return
        }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        self.init(code: code, enhanced: enhanced, lines: lines)
    }

    /// Whether `text` may hold a character that `Character.isNewline` is true of: an octet LF, VT, FF or
    /// CR, or non-ASCII (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR). False is exact; true sends the text
    /// to the Character-level path.
    static func mayBreakLines(_ text: String) -> Bool {
        text.utf8.contains { $0 >= 0x80 || ($0 >= 0x0A && $0 <= 0x0D) }
    }

    public init(code: Int, enhanced: EnhancedStatusCode? = nil, lines: [String]) {
        self.code = code
        self.enhanced = enhanced
        self.lines = lines
    }

    // RFC 5321 §4.2:
    //   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
    //                Reply-code [ SP textstring ] CRLF
    // RFC 2034 §4: the enhanced code follows the reply code on every line.
    /// Writes the wire form, e.g. "250-2.0.0 a\r\n250 2.0.0 b\r\n".
    public func write(into buffer: inout ByteBuffer) {
        let lines = self.lines.isEmpty ? [""] : self.lines
        let codeText = String(code)
        for (index, line) in lines.enumerated() {
            var text = line
            if Self.mayBreakLines(text) && text.contains(where: \.isNewline) {
                // A CR or LF inside a line would end the reply early (reply injection).
                text = String(text.map { $0.isNewline ? " " : $0 })
            }
            buffer.writeString(codeText)
            if index < lines.count - 1 {
                buffer.writeInteger(UInt8(ascii: "-"))
            } else if enhanced != nil || !text.isEmpty {
                // "354\r\n", not "354 \r\n".
                buffer.writeInteger(UInt8(ascii: " "))
            }
            if let enhanced {
                buffer.writeString(enhanced.description)
                if !text.isEmpty { buffer.writeInteger(UInt8(ascii: " ")) }
            }
            buffer.writeString(text)
            buffer.writeString("\r\n")
        }
    }

    /// The wire form as a String (tests, logs).
    public var wireText: String {
        var buffer = ByteBuffer()
        write(into: &buffer)
        return String(buffer: buffer)
    }

    /// 2yz Positive Completion (RFC 5321 §4.2.1).
    public var isPositiveCompletion: Bool { (200..<300).contains(code) }
    /// 3yz Positive Intermediate (RFC 5321 §4.2.1).
    public var isPositiveIntermediate: Bool { (300..<400).contains(code) }
    /// 4yz Transient Negative Completion (RFC 5321 §4.2.1).
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5yz Permanent Negative Completion (RFC 5321 §4.2.1).
    public var isPermanentFailure: Bool { (500..<600).contains(code) }
}
