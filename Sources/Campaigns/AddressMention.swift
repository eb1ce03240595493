/// Finding an address inside free text as a whole address, ASCII case ignored: `ann@example.com` is
/// mentioned in `To: <Ann@Example.com>.` but not in `joann@example.com` or `ann@example.com.au`.
enum AddressMention {
    /// `text` with every mention of `needle` (lower-case UTF-8) replaced by `replacement`; `text` itself
    /// when there is none.
    static func replace(_ needle: [UInt8], in text: String, with replacement: String) -> String {
        let bytes = Array(text.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return text }
        var out: [UInt8] = []
        var copied = 0
        var index = 0
        while index + needle.count <= bytes.count {
            if matches(needle, bytes, at: index) {
                out.append(contentsOf: bytes[copied..<index])
                out.append(contentsOf: replacement.utf8)
                index += needle.count
                copied = index
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return text }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    static func matches(_ needle: [UInt8], _ bytes: [UInt8], at start: Int) -> Bool {
        for offset in 0..<needle.count where lower(bytes[start + offset]) != needle[offset] { return false }
        if start > 0, isLocalPartByte(bytes[start - 1]) { return false }
        let end = start + needle.count
        guard end < bytes.count else { return true }
        let next = bytes[end]
        if isDomainByte(next) { return false }
        // A dot then a label goes on with the domain; a dot then anything else ends a sentence.
        if next == UInt8(ascii: "."), end + 1 < bytes.count, isDomainByte(bytes[end + 1]) { return false }
        return true
    }

    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Letters, digits and the other atext characters of RFC 5322 §3.2.3, the dot, and any non-ASCII byte.
    static func isLocalPartByte(_ byte: UInt8) -> Bool {
        isDomainByte(byte) || byte == UInt8(ascii: ".") || "!#$%&'*+/=?^_`{|}~".utf8.contains(byte)
    }

    /// Letters, digits, hyphen, and any non-ASCII byte.
    static func isDomainByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "-") || byte >= 0x80
    }
}
