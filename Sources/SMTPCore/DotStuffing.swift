import NIOCore

/// Client side of the DATA transparency procedure (RFC 5321 §4.5.2).
public enum DotStuffing {
    /// Writes `message` as DATA-phase octets: "." added before every line starting with ".", a final CRLF
    /// ensured, then ".\r\n". A bare CR or bare LF is sent as CRLF (RFC 5321 §2.3.8), so that no receiver,
    /// strict or lenient, can see an end of data inside the message (SMTP smuggling).
    public static func stuff(_ message: ByteBuffer, into out: inout ByteBuffer) {
        out.reserveCapacity(minimumWritableBytes: message.readableBytes + 5)
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
}
