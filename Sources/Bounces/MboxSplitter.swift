/// Splits an mbox file into its messages (RFC 4155): each message starts with a "From " line at the
/// beginning of a line, after a blank line or at the start of the file. Quoted ">From " lines are unquoted
/// (mboxrd).
public enum MboxSplitter {
    public struct Message: Sendable {
        /// 1-based position of the message in the mbox.
        public var index: Int
        public var bytes: [UInt8]
    }

    public static func split(_ bytes: [UInt8]) -> [Message] {
        var messages: [Message] = []
        var current: [UInt8]?
        var lineStart = 0
        var previousBlank = true
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            if previousBlank && line.starts(with: fromLine) {
                if let done = current { messages.append(Message(index: messages.count + 1, bytes: trimmed(done))) }
                current = []
            } else if current != nil {
                if line.first == 0x3E, line.drop(while: { $0 == 0x3E }).starts(with: fromLine) {
                    current!.append(contentsOf: line.dropFirst())
                } else {
                    current!.append(contentsOf: line)
                }
            }
            previousBlank = line.allSatisfy { $0 == 0x0A || $0 == 0x0D }
            lineStart = lineEnd
        }
        if let done = current { messages.append(Message(index: messages.count + 1, bytes: trimmed(done))) }
        return messages
    }

    /// Whether `bytes` looks like an mbox (starts with a "From " separator line).
    public static func isMbox(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: fromLine)
    }

    private static let fromLine: [UInt8] = Array("From ".utf8)

    /// The blank line before the next "From " belongs to the separator, not to the message.
    private static func trimmed(_ message: [UInt8]) -> [UInt8] {
        var end = message.count
        if end > 0 && message[end - 1] == 0x0A { end -= 1 }
        if end > 0 && message[end - 1] == 0x0D { end -= 1 }
        return Array(message[..<end])
    }
}
