import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes the DATA phase: removes dot-stuffing and finds the end of the message (RFC 5321 §4.1.1.4, §4.5.2).
///
/// Only CRLF "." CRLF ends the message. "\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n" and the like are message data
/// and are flagged as bare LF / bare CR (SMTP smuggling, CVE-2023-51764). Works with any split of the input.
public struct DataStreamDecoder: Sendable {
    private enum State: Sendable {
        /// After CRLF, or at the start of the message.
        case lineStart
        /// After "." at the start of a line.
        case dot
        /// After "." CR at the start of a line.
        case dotCR
        /// Inside a line.
        case body
        /// Just after a CR inside a line (already written).
        case bodyCR
        case complete
    }

    public let maxLineLength: Int
    public let maxMessageSize: Int
    public private(set) var violations = DataViolations()
    /// Unstuffed octets seen so far, including those not appended after the size was exceeded.
    public private(set) var messageSize = 0
    /// Any octet above 127 in the message (RFC 6152).
    public private(set) var has8BitData = false
    private var state = State.lineStart
    private var lineLength = 0

    public init(maxLineLength: Int = 1000, maxMessageSize: Int) {
        self.maxLineLength = maxLineLength
        self.maxMessageSize = maxMessageSize
    }

    public var isComplete: Bool { state == .complete }

    // RFC 5321 §4.5.2: "If the first character is a period and there are other characters on the line,
    // the first character is deleted." §4.1.1.4: the mail data ends with a line containing only ".".
    /// Consumes DATA-phase bytes from `input`, appending unstuffed message octets to `output`.
    /// Returns `.complete` once CRLF "." CRLF has been consumed; bytes after it stay in `input`.
    public mutating func decode(_ input: inout ByteBuffer, into output: inout ByteBuffer) -> DataDecodeResult {
        guard state != .complete else { return .complete }
        let consumed = input.withUnsafeReadableBytes { bytes in
            decode(bytes, into: &output)
        }
        input.moveReaderIndex(forwardBy: consumed)
        return state == .complete ? .complete : .needMore
    }

    /// Returns the number of octets consumed.
    private mutating func decode(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) -> Int {
        var index = 0
        while index < bytes.count {
            if state == .lineStart, let base = bytes.baseAddress {
                let end = Self.plainLines(base, from: index, to: bytes.count, maxLineLength: maxLineLength)
                if end > index {
                    if !has8BitData { has8BitData = OctetScan.containsHighBit(base + index, count: end - index) }
                    emit(UnsafeRawBufferPointer(rebasing: bytes[index..<end]), into: &output)
                    index = end
                    if index == bytes.count { break }
                }
            }
            if state == .body, let base = bytes.baseAddress {
                // Fast path: find the line's end with memchr and copy the run in one write.
                let start = index
                var end = bytes.count
                if let lf = memchr(base + start, Int32(ASCII.lf), end - start) { end = UnsafeRawPointer(lf) - base }
                if end > start, let cr = memchr(base + start, Int32(ASCII.cr), end - start) {
                    end = UnsafeRawPointer(cr) - base
                }
                index = end
                if index > start {
                    if !has8BitData { has8BitData = OctetScan.containsHighBit(base + start, count: index - start) }
                    countLine(index - start)
                    emit(UnsafeRawBufferPointer(rebasing: bytes[start..<index]), into: &output)
                }
                if index == bytes.count { break }
            }
            let byte = bytes[index]
            index += 1
            countLine(1)
            step(byte, into: &output)
            if state == .complete { break }
        }
        return index
    }

    /// The end of the run of whole lines from `start` (a line start) that are message data as they are: each
    /// ends in CRLF, has no other CR, is within the line limit and does not start with "." — the common case,
    /// copied in one write. Returns `start` when the first line is not such a line or is incomplete.
    private static func plainLines(_ base: UnsafeRawPointer, from start: Int, to count: Int, maxLineLength: Int)
        -> Int
    {
        var lineStart = start
        var lines = 0
        while lineStart < count, base.load(fromByteOffset: lineStart, as: UInt8.self) != ASCII.dot {
            guard let found = memchr(base + lineStart, Int32(ASCII.lf), count - lineStart) else { break }
            let lf = UnsafeRawPointer(found) - base
            guard lf > lineStart, base.load(fromByteOffset: lf - 1, as: UInt8.self) == ASCII.cr,
                lf + 1 - lineStart <= maxLineLength
            else { break }
            lineStart = lf + 1
            lines += 1
        }
        guard lines > 0 else { return start }
        // One CR per line (its CRLF) means no bare CR in the run.
        if OctetScan.crCount(base + start, count: lineStart - start) == lines { return lineStart }
        // Otherwise the run ends before the first line with a bare CR, which the byte-wise path takes: returning
        // `start` would make every later line start scan the rest again (quadratic in the message).
        var clean = start
        while true {
            let lf = UnsafeRawPointer(memchr(base + clean, Int32(ASCII.lf), lineStart - clean)!) - base
            if memchr(base + clean, Int32(ASCII.cr), lf - 1 - clean) != nil { return clean }
            clean = lf + 1
        }
    }

    private mutating func step(_ byte: UInt8, into output: inout ByteBuffer) {
        switch state {
        case .lineStart:
            if byte == ASCII.dot {
                state = .dot
            } else {
                content(byte, into: &output)
            }
        case .dot:
            if byte == ASCII.cr {
                state = .dotCR
            } else {
                // The leading "." is removed (RFC 5321 §4.5.2).
                content(byte, into: &output)
            }
        case .dotCR:
            if byte == ASCII.lf {
                state = .complete
            } else {
                // "." CR x: the dot is stuffing, the CR is bare data.
                violations.bareCR = true
                emit(ASCII.cr, into: &output)
                state = .body
                content(byte, into: &output)
            }
        case .body:
            content(byte, into: &output)
        case .bodyCR:
            if byte == ASCII.lf {
                emit(ASCII.lf, into: &output)
                state = .lineStart
                lineLength = 0
            } else {
                violations.bareCR = true
                state = .body
                content(byte, into: &output)
            }
        case .complete:
            break
        }
    }

    /// A content octet inside a line.
    private mutating func content(_ byte: UInt8, into output: inout ByteBuffer) {
        switch byte {
        case ASCII.cr:
            emit(byte, into: &output)
            state = .bodyCR
        case ASCII.lf:
            // An LF without CR never starts a line where "." could end the message.
            violations.bareLF = true
            emit(byte, into: &output)
            state = .body
            lineLength = 0
        default:
            has8BitData = has8BitData || byte >= 0x80
            emit(byte, into: &output)
            state = .body
        }
    }

    /// RFC 5321 §4.5.3.1.6: a text line is at most 1000 octets, CRLF included.
    private mutating func countLine(_ count: Int) {
        lineLength += count
        if lineLength > maxLineLength {
            violations.lineTooLong = true
        }
    }

    private mutating func emit(_ byte: UInt8, into output: inout ByteBuffer) {
        if reserve(1) {
            output.writeInteger(byte)
        }
    }

    private mutating func emit(_ bytes: UnsafeRawBufferPointer, into output: inout ByteBuffer) {
        if reserve(bytes.count) {
            output.writeBytes(bytes)
        }
    }

    /// Counts `count` octets; false once the message would exceed the size limit.
    private mutating func reserve(_ count: Int) -> Bool {
        messageSize += count
        if violations.sizeExceeded || messageSize > maxMessageSize {
            violations.sizeExceeded = true
            return false
        }
        return true
    }
}
