/// A tag=value list (RFC 6376 §3.2), used by DKIM-Signature fields and key records.
///
///     tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
///     tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
///     tag-name  =  ALPHA *ALNUMPUNC
///     tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
///     tval      =  1*VALCHAR          ; VALCHAR = %x21-3A / %x3C-7E
struct DKIMTagList: Sendable {
    struct Tag: Sendable {
        /// Tag names are case-sensitive (RFC 6376 §3.2).
        var name: String
        /// The value without the FWS around it; FWS inside is kept as written.
        var value: String
        /// Everything between "=" and the next ";" (or the end), white space around the value included: what
        /// RFC 6376 §3.7 deletes from `b=` before verifying.
        var valueRange: Range<Int>
    }

    enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingEquals(String)
        case badTagName(String)
        case badValueCharacter(tag: String)
        /// "Tags with duplicate names MUST NOT occur within a single tag-list; if a tag name does occur more
        /// than once, the entire tag-list is invalid." (RFC 6376 §3.2)
        case duplicateTag(String)

        var description: String {
            switch self {
            case .missingEquals(let text): "tag without \"=\": \(text)"
            case .badTagName(let name): "invalid tag name \"\(name)\""
            case .badValueCharacter(let tag): "invalid character in the value of tag \(tag)="
            case .duplicateTag(let name): "duplicate tag \(name)="
            }
        }
    }

    private(set) var tags: [Tag] = []

    subscript(name: String) -> String? {
        tags.first { $0.name == name }?.value
    }

    func tag(_ name: String) -> Tag? {
        tags.first { $0.name == name }
    }

    init(parsing text: String) throws(ParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    init(parsing bytes: [UInt8]) throws(ParseError) {
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.count
            try parseSpec(bytes, start..<end)
            start = end + 1
        }
    }

    private mutating func parseSpec(_ bytes: [UInt8], _ range: Range<Int>) throws(ParseError) {
        let spec = Self.trimmed(bytes, range)
        // An empty spec only arises from a trailing ";" or from ";;"; the latter is tolerated as common practice.
        guard !spec.isEmpty else { return }
        guard let equals = bytes[spec].firstIndex(of: UInt8(ascii: "=")) else {
            throw .missingEquals(String(decoding: bytes[spec], as: UTF8.self))
        }
        let nameRange = Self.trimmed(bytes, spec.lowerBound..<equals)
        let name = String(decoding: bytes[nameRange], as: UTF8.self)
        guard let first = bytes[nameRange].first, Self.isAlpha(first),
            bytes[nameRange].allSatisfy({ Self.isAlpha($0) || Self.isDigit($0) || $0 == UInt8(ascii: "_") })
        else { throw .badTagName(name) }
        let valueRange = Self.trimmed(bytes, (equals + 1)..<spec.upperBound)
        for byte in bytes[valueRange] where !(0x21...0x7E).contains(byte) && !Self.isFWS(byte) {
            // Non-ASCII is tolerated (RFC 6376 §3.2 allows only VALCHAR, but UTF-8 in `z=` copies and notes
            // is seen in practice); control characters other than FWS are not.
            guard byte >= 0x80 else { throw .badValueCharacter(tag: name) }
        }
        guard !tags.contains(where: { $0.name == name }) else { throw .duplicateTag(name) }
        tags.append(
            Tag(
                name: name, value: String(decoding: bytes[valueRange], as: UTF8.self),
                valueRange: (equals + 1)..<range.upperBound))
    }

    private static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && isFWS(bytes[lower]) { lower += 1 }
        while upper > lower && isFWS(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    static func isFWS(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private static func isAlpha(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    /// The value with every FWS character removed (for base64 tags and `h=` lists, RFC 6376 §3.5).
    static func withoutFWS(_ value: String) -> String {
        String(
            String.UnicodeScalarView(
                value.unicodeScalars.filter { !($0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n") }))
    }
}
