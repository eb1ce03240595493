import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Client side of the DATA transparency procedure (RFC 5321 §4.5.2).
public enum DotStuffing {
    /// Writes `message` as DATA-phase octets: "." added before every line starting with ".", a final CRLF
    /// ensured, then ".\r\n". A bare CR or bare LF is sent as CRLF (RFC 5321 §2.3.8), so that no receiver,
    /// strict or lenient, can see an end of data inside the message (SMTP smuggling).
    public static func stuff(_ message: ByteBuffer, into out: inout ByteBuffer) {
        out.reserveCapacity(minimumWritableBytes: message.readableBytes + message.readableBytes / 256 + 8)
        // Fast path for the usual case, a message whose lines all end in
        // CRLF: whole lines are copied at once, found with memchr.
        let start = out.writerIndex
        if stuffCRLFLines(message, into: &out) {
            out.writeString(".\r\n")
            return
        }
        out.moveWriterIndex(to: start)
        message.withUnsafeReadableBytes { bytes in
            var atLineStart = true
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if atLineStart && byte == ASCII.dot {
                    out.writeInteger(ASCII.dot)
                }
                atLineStart = false
                guard byte == ASCII.cr || byte == ASCII.lf else {
                    index += 1
                    if index == bytes.count || bytes[index] == ASCII.cr || bytes[index] == ASCII.lf {
                        out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                    }
                    continue
                }
                let isCRLF = byte == ASCII.cr && index + 1 < bytes.count && bytes[index + 1] == ASCII.lf
                index += isCRLF ? 2 : 1
                out.writeString("\r\n")
                runStart = index
                atLineStart = true
            }
            if !bytes.isEmpty && !atLineStart {
                out.writeString("\r\n")
            }
        }
        out.writeString(".\r\n")
    }

    /// Whether `message` goes out as it is, followed by ".\r\n": every line ends in CRLF, no other CR
    /// occurs and no line starts with "." (the usual message; the sender then copies nothing).
    public static func isTransparent(_ message: ByteBuffer) -> Bool {
        message.withUnsafeReadableBytes { bytes -> Bool in
            guard let base = bytes.baseAddress else { return true }
            let count = bytes.count
            var position = 0
            var lines = 0
            while position < count {
                guard let found = memchr(base + position, Int32(ASCII.lf), count - position) else { return false }
                let lf = UnsafeRawPointer(found) - base
                guard lf > position, bytes[lf - 1] == ASCII.cr, bytes[position] != ASCII.dot else { return false }
                position = lf + 1
                lines += 1
            }
            return OctetScan.crCount(base, count: count) == lines
        }
    }

    /// Copies `message` in runs between lines that start with "." (which get their extra dot) when every
    /// line ends in CRLF and no other CR occurs; false (with `out` partly written) otherwise.
    static func stuffCRLFLines(_ message: ByteBuffer, into out: inout ByteBuffer) -> Bool {
        message.withUnsafeReadableBytes { bytes -> Bool in
            guard let base = bytes.baseAddress else { return true }
            let count = bytes.count
            var position = 0
            var runStart = 0
            var lines = 0
            while position < count {
                guard let found = memchr(base + position, Int32(ASCII.lf), count - position) else { return false }
                let lf = UnsafeRawPointer(found) - base
                // The line must end in CR LF (no other CR in it: counted below).
                guard lf > position, bytes[lf - 1] == ASCII.cr else { return false }
                if bytes[position] == ASCII.dot {
                    out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                    out.writeInteger(ASCII.dot)
                    runStart = position
                }
                position = lf + 1
                lines += 1
            }
            out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart..<count]))
            return OctetScan.crCount(base, count: count) == lines
        }
    }
}
