import COpenSSL

/// Where each header field of a message is, as offsets into its octets, and where the body starts: the signer
/// canonicalises fields in place, and `DKIMParsedMessage` copies them out for the verifier.
struct DKIMHeaderSection: Sendable {
    struct Field: Sendable {
        /// The field from its name to the end of its last line: continuation lines are included with their line
        /// breaks, the final line break is not.
        var start: Int
        var end: Int
        /// The end of the name (white space before the colon excluded) and the first octet after the colon.
        var nameEnd: Int
        var valueStart: Int
    }

    var fields: [Field]
    /// Offset of the body (the message length when there is no body).
    var bodyOffset: Int
    /// Whether a line of the header section ends in a LF without CR. The line breaks inside such a field are
    /// signed as CRLF, so its octets are not its canonical input: see `normalizedHeader`.
    var hasBareLineFeed: Bool

    // RFC 5322 §2.1: the header section ends at the first empty line; §2.2.3: a line starting with WSP
    // continues the previous field. Line breaks are CRLF; a bare LF is accepted as one (and is signed as CRLF,
    // the form SMTP transmits). Lines that are not fields (no colon) are ignored, as they cannot be signed.
    init(_ bytes: UnsafeRawBufferPointer) {
        fields = []
        fields.reserveCapacity(32)
        bodyOffset = bytes.count
        hasBareLineFeed = false
        guard let base = bytes.baseAddress else { return }
        var fieldStart: Int?
        var fieldEnd = 0
        var index = 0
        while index < bytes.count {
            let lineFeed = memchr(base + index, 0x0A, bytes.count - index).map {
                base.distance(to: UnsafeRawPointer($0))
            }
            var end = lineFeed ?? bytes.count
            if let lineFeed {
                if end > index && bytes[end - 1] == 0x0D {
                    end -= 1
                } else if lineFeed == 0 || bytes[lineFeed - 1] != 0x0D {
                    hasBareLineFeed = true
                }
            }
            let next = lineFeed.map { $0 + 1 } ?? bytes.count
            if end == index {
                bodyOffset = next
                break
            }
            let first = bytes[index]
            if (first == 0x20 || first == 0x09) && fieldStart != nil {
                fieldEnd = end
            } else {
                if let fieldStart { appendField(bytes, start: fieldStart, end: fieldEnd) }
                fieldStart = index
                fieldEnd = end
            }
            index = next
        }
        if let fieldStart { appendField(bytes, start: fieldStart, end: fieldEnd) }
    }

    private mutating func appendField(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int) {
        guard let colon = memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: ":")), end - start) else { return }
        let valueStart = bytes.baseAddress!.distance(to: UnsafeRawPointer(colon)) + 1
        var nameEnd = valueStart - 1
        while nameEnd > start && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) {
            nameEnd -= 1
        }
        guard nameEnd > start else { return }
        fields.append(Field(start: start, end: end, nameEnd: nameEnd, valueStart: valueStart))
    }

    /// The header section (`bytes` up to the body) with every bare LF made CRLF. Parsed again, it has the same
    /// fields, and then each field's octets are exactly what `simple` signs.
    static func normalizedHeader(_ bytes: UnsafeRawBufferPointer, bodyOffset: Int) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(bodyOffset + bodyOffset / 8)
        for index in 0..<bodyOffset {
            if bytes[index] == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) {
                header.append(0x0D)
            }
            header.append(bytes[index])
        }
        return header
    }
}
