import NIOCore

/// Frames and parses server replies for the client side (RFC 5321 §4.2).
public struct SMTPReplyParser: Sendable {
    public var maxLineLength: Int
    public var maxLines: Int

    /// - Parameters:
    ///   - maxLineLength: longest reply line accepted, CRLF included (512, RFC 5321 §4.5.3.1.5).
    ///   - maxLines: most lines in one reply.
    public init(maxLineLength: Int = 512, maxLines: Int = 100) {
        self.maxLineLength = maxLineLength
        self.maxLines = maxLines
    }

    // RFC 5321 §4.2:
    //   Greeting / Reply-line = *( Reply-code "-" [ textstring ] CRLF )
    //                           Reply-code [ SP textstring ] CRLF
    //   Reply-code = %x32-35 %x30-35 %x30-39
    /// One complete reply, consumed from `buffer`; nil (buffer untouched) until its last line has arrived.
    /// A bare LF is accepted as a line end.
    public mutating func parse(_ buffer: inout ByteBuffer) throws(SMTPReplyParseError) -> SMTPReply? {
        let view = buffer.readableBytesView
        var position = view.startIndex
        var code: Int?
        var texts: [String] = []
        while true {
            let searchEnd = min(view.endIndex, position + maxLineLength)
            guard let lineFeed = view[position..<searchEnd].firstIndex(of: ASCII.lf) else {
                if view.endIndex - position >= maxLineLength {
                    throw .lineTooLong
                }
                return nil
            }
            var lineEnd = lineFeed
            if lineEnd > position && view[lineEnd - 1] == ASCII.cr {
                lineEnd -= 1
            }
            let line = view[position..<lineEnd]
            let (lineCode, isLast, text) = try Self.parseLine(line)
            if let code, code != lineCode {
                throw .inconsistentCode(expected: code, found: lineCode)
            }
            code = lineCode
            texts.append(text)
            position = lineFeed + 1
            if isLast {
                buffer.moveReaderIndex(forwardBy: position - view.startIndex)
                return Self.makeReply(code: lineCode, texts: texts)
            }
            if texts.count >= maxLines {
                throw .tooManyLines
            }
        }
    }

    private static func parseLine(_ line: ByteBufferView.SubSequence) throws(SMTPReplyParseError) -> (Int, Bool, String)
    {
        let bytes = Array(line)
        guard bytes.count >= 3,
            (0x32...0x35).contains(bytes[0]), ASCII.isDigit(bytes[1]), ASCII.isDigit(bytes[2])
        else {
            throw .invalidCode
        }
        let code = Int(bytes[0] - 0x30) * 100 + Int(bytes[1] - 0x30) * 10 + Int(bytes[2] - 0x30)
        guard bytes.count > 3 else { return (code, true, "") }
        let isLast: Bool
        switch bytes[3] {
        case ASCII.space: isLast = true
        case ASCII.hyphen: isLast = false
        default: throw .invalidSeparator
        }
        return (code, isLast, String(decoding: bytes[4...], as: UTF8.self))
    }

    /// RFC 2034 §4: the enhanced code is taken only when every line carries one whose class matches the reply code.
    private static func makeReply(code: Int, texts: [String]) -> SMTPReply {
        var enhanced: EnhancedStatusCode?
        var stripped: [String] = []
        for text in texts {
            let token = text.prefix { $0 != " " }
            guard let lineCode = EnhancedStatusCode(token), lineCode.klass == code / 100 else {
                return SMTPReply(code: code, lines: texts)
            }
            if enhanced == nil {
                enhanced = lineCode
            }
            stripped.append(String(text.dropFirst(token.count).dropFirst()))
        }
        return SMTPReply(code: code, enhanced: enhanced, lines: stripped)
    }
}
