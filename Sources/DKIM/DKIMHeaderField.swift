/// A header field exactly as it appears in the message (RFC 5322 §2.2), as DKIM needs it: the `simple`
/// algorithm signs the octets unchanged (RFC 6376 §3.4.1), so the unfolded `MailMessage.HeaderField` will not do.
struct DKIMHeaderField: Sendable {
    /// The name as written, without white space before the colon.
    var name: String
    /// The name lower-cased (ASCII), for matching `h=` entries (header names are case-insensitive).
    var lowercasedName: String
    /// The whole field, name through value, continuation lines joined by CRLF, without the final line break.
    var raw: [UInt8]
    /// Index in `raw` of the first octet after the colon.
    var valueStart: Int

    var value: ArraySlice<UInt8> { raw[valueStart...] }
}

/// The header fields of a message and where its body starts, without copying the body.
struct DKIMParsedMessage: Sendable {
    var fields: [DKIMHeaderField]
    /// Offset of the body from the start of the message (its length when there is no body).
    var bodyOffset: Int

    // RFC 5322 §2.1: the header section ends at the first empty line; §2.2.3: a line starting with WSP
    // continues the previous field. Line breaks are CRLF; a bare LF is accepted as one (and is signed as CRLF,
    // the form SMTP transmits). Lines that are not fields (no colon) are ignored, as they cannot be signed.
    init(_ bytes: UnsafeRawBufferPointer) {
        var fields: [DKIMHeaderField] = []
        var current: [UInt8] = []
        var index = 0
        var bodyOffset = bytes.count
        func finish() {
            if !current.isEmpty, let field = Self.makeField(current) {
                fields.append(field)
            }
            current.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let lineFeed = bytes[index...].firstIndex(of: 0x0A)
            let next = lineFeed.map { $0 + 1 } ?? bytes.count
            var end = lineFeed ?? bytes.count
            if end > index && bytes[end - 1] == 0x0D && lineFeed != nil {
                end -= 1
            }
            if end == index {
                bodyOffset = next
                break
            }
            let first = bytes[index]
            if (first == 0x20 || first == 0x09) && !current.isEmpty {
                current.append(0x0D)
                current.append(0x0A)
                current.append(contentsOf: bytes[index..<end])
            } else {
                finish()
                current.append(contentsOf: bytes[index..<end])
            }
            index = next
        }
        finish()
        self.fields = fields
        self.bodyOffset = min(bodyOffset, bytes.count)
    }

    private static func makeField(_ raw: [UInt8]) -> DKIMHeaderField? {
        guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var nameEnd = colon
        while nameEnd > 0 && (raw[nameEnd - 1] == 0x20 || raw[nameEnd - 1] == 0x09) {
            nameEnd -= 1
        }
        guard nameEnd > 0 else { return nil }
        let name = String(decoding: raw[0..<nameEnd], as: UTF8.self)
        return DKIMHeaderField(name: name, lowercasedName: asciiLowercased(name), raw: raw, valueStart: colon + 1)
    }
}

func asciiLowercased(_ text: String) -> String {
    guard text.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return text }
    return String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
}
