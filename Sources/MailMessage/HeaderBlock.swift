import NIOCore

/// The header section of a message (RFC 5322 §2.1, §2.2). Offsets count from the buffer's readerIndex.
public enum HeaderBlock {
    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A
    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09
    private static let colon: UInt8 = 0x3A

    // RFC 5322 §2.1: message = header section, optionally followed by an empty line (CRLF) and the body.
    /// Index just past the blank line ending the header section (CRLF CRLF, or LF LF leniently), or nil when
    /// the message has no header/body separator (all header). A message starting with a blank line has an
    /// empty header section.
    public static func end(of message: ByteBuffer) -> Int? {
        message.withUnsafeReadableBytes { bytes in
            var lineStart = 0
            while lineStart < bytes.count {
                if bytes[lineStart] == lf {
                    return lineStart + 1
                }
                if bytes[lineStart] == cr && lineStart + 1 < bytes.count && bytes[lineStart + 1] == lf {
                    return lineStart + 2
                }
                guard let lineFeed = bytes[lineStart...].firstIndex(of: lf) else { return nil }
                lineStart = lineFeed + 1
            }
            return nil
        }
    }

    // RFC 5322 §2.2:   field = field-name ":" unstructured CRLF
    // RFC 5322 §3.6.8: field-name = 1*ftext; ftext = %d33-57 / %d59-126
    // RFC 5322 §2.2.3: unfolding removes each CRLF that is followed by WSP.
    /// Unfolded header fields in order. Lines that are not fields (no colon, a name with spaces or control
    /// characters, a continuation before any field) are skipped; WSP before the colon is tolerated
    /// (RFC 5322 §4.5.1, obs-optional).
    public static func fields(of message: ByteBuffer) -> [HeaderField] {
        let headerLength = end(of: message) ?? message.readableBytes
        return message.withUnsafeReadableBytes { bytes in
            var fields: [HeaderField] = []
            var current: [UInt8]?
            for line in lines(UnsafeRawBufferPointer(rebasing: bytes[0..<headerLength])) {
                if let first = line.first, first == space || first == tab {
                    current?.append(contentsOf: line)
                    continue
                }
                if let field = current.flatMap(makeField) {
                    fields.append(field)
                }
                current = line.isEmpty ? nil : Array(line)
            }
            if let field = current.flatMap(makeField) {
                fields.append(field)
            }
            return fields
        }
    }

    /// Whether a field named `name` (case-insensitive) is in the header section.
    public static func contains(_ name: String, in message: ByteBuffer) -> Bool {
        let wanted = Array(name.lowercased().utf8)
        let headerLength = end(of: message) ?? message.readableBytes
        return message.withUnsafeReadableBytes { bytes in
            lines(UnsafeRawBufferPointer(rebasing: bytes[0..<headerLength])).contains {
                colonIndex(ofField: wanted, in: $0) != nil
            }
        }
    }

    /// The index of the colon when `line` starts the field named `wanted` (lower case; WSP before the colon
    /// tolerated), else nil.
    private static func colonIndex(ofField wanted: [UInt8], in line: Slice<UnsafeRawBufferPointer>) -> Int? {
        guard let colon = line.firstIndex(of: colon) else { return nil }
        var nameEnd = colon
        while nameEnd > line.startIndex && (line[nameEnd - 1] == space || line[nameEnd - 1] == tab) {
            nameEnd -= 1
        }
        let candidate = line[line.startIndex..<nameEnd]
        guard candidate.count == wanted.count && zip(candidate, wanted).allSatisfy({ lowercased($0) == $1 }) else {
            return nil
        }
        return colon
    }

    /// The unfolded value of the first field named `name` (case-insensitive), without surrounding WSP, or nil.
    public static func firstValue(of name: String, in message: ByteBuffer) -> String? {
        let wanted = Array(name.lowercased().utf8)
        let headerLength = end(of: message) ?? message.readableBytes
        return message.withUnsafeReadableBytes { bytes -> String? in
            var value: [UInt8]?
            for line in lines(UnsafeRawBufferPointer(rebasing: bytes[0..<headerLength])) {
                if let collected = value {
                    guard let first = line.first, first == space || first == tab else { break }
                    value = collected + line
                    continue
                }
                if let colon = colonIndex(ofField: wanted, in: line) {
                    value = Array(line[(colon + 1)...])
                }
            }
            guard let value else { return nil }
            let trimmed = value.drop { $0 == space || $0 == tab }.reversed().drop { $0 == space || $0 == tab }
            return String(decoding: trimmed.reversed(), as: UTF8.self)
        }
    }

    /// The lines of the header section, without CRLF / LF.
    private static func lines(_ bytes: UnsafeRawBufferPointer) -> [Slice<UnsafeRawBufferPointer>] {
        var result: [Slice<UnsafeRawBufferPointer>] = []
        var start = 0
        while start < bytes.count {
            let lineFeed = bytes[start...].firstIndex(of: lf) ?? bytes.count
            var end = lineFeed
            if end > start && bytes[end - 1] == cr {
                end -= 1
            }
            result.append(bytes[start..<end])
            start = lineFeed + 1
        }
        return result
    }

    private static func makeField(_ line: [UInt8]) -> HeaderField? {
        guard let colon = line.firstIndex(of: colon) else { return nil }
        var nameEnd = colon
        while nameEnd > 0 && (line[nameEnd - 1] == space || line[nameEnd - 1] == tab) {
            nameEnd -= 1
        }
        let name = line[0..<nameEnd]
        guard !name.isEmpty, name.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { return nil }
        var valueStart = colon + 1
        while valueStart < line.count && (line[valueStart] == space || line[valueStart] == tab) {
            valueStart += 1
        }
        return HeaderField(
            name: String(decoding: name, as: UTF8.self),
            value: String(decoding: line[valueStart...], as: UTF8.self)
        )
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
    }
}
