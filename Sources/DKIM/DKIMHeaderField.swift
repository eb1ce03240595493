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

/// The header fields of a message, copied out, and where its body starts (the body is not copied).
struct DKIMParsedMessage: Sendable {
    var fields: [DKIMHeaderField]
    /// Offset of the body from the start of the message (its length when there is no body).
    var bodyOffset: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        let section = DKIMHeaderSection(bytes)
        bodyOffset = section.bodyOffset
        if section.hasBareLineFeed {
            let header = DKIMHeaderSection.normalizedHeader(bytes, bodyOffset: section.bodyOffset)
            fields = header.withUnsafeBytes { Self.fields(of: DKIMHeaderSection($0), in: $0) }
        } else {
            fields = Self.fields(of: section, in: bytes)
        }
    }

    private static func fields(of section: DKIMHeaderSection, in bytes: UnsafeRawBufferPointer) -> [DKIMHeaderField] {
        section.fields.map { field in
            let name = String(decoding: bytes[field.start..<field.nameEnd], as: UTF8.self)
            return DKIMHeaderField(
                name: name, lowercasedName: asciiLowercased(name), raw: Array(bytes[field.start..<field.end]),
                valueStart: field.valueStart - field.start)
        }
    }
}

func asciiLowercased(_ text: String) -> String {
    guard text.utf8.contains(where: { (0x41...0x5A).contains($0) }) else { return text }
    return String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
}
