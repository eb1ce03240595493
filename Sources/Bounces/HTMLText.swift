/// Reduces an HTML bounce explanation to its text: tags removed, block ends as line breaks, a few entities.
enum HTMLText {
    static func strip(_ html: String) -> String {
        var html = html
        return html.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x3C {  // "<": skip the tag, keep a line break for a block end
                    var end = index + 1
                    while end < bytes.count && bytes[end] != 0x3E { end += 1 }
                    if breaksLine(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end])) { output.append(0x0A) }
                    index = end + 1
                } else if byte == 0x26, let (replacement, length) = entity(bytes, at: index) {
                    output.append(contentsOf: replacement.utf8)
                    index += length
                } else {
                    output.append(byte)
                    index += 1
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    private static let entities: [(name: [UInt8], text: String)] = [
        ("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&"),
    ].map { (Array($0.0.utf8), $0.1) }

    private static func entity(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (String, Int)? {
        for (name, text) in entities
        where index + name.count <= bytes.count && bytes[index..<(index + name.count)].elementsEqual(name) {
            return (text, name.count)
        }
        return nil
    }

    /// `br`, `p`, and the ends of `p`, `div`, `tr`, headings and list items (case-insensitive).
    private static func breaksLine(_ tag: UnsafeBufferPointer<UInt8>) -> Bool {
        func lower(_ offset: Int) -> UInt8 { offset < tag.count ? tag[offset] | 0x20 : 0 }
        switch lower(0) {
        case 0x62: return lower(1) == 0x72  // br
        case 0x70: return tag.count == 1 || tag[1] == 0x20  // p
        case 0x2F:
            switch lower(1) {
            case 0x70, 0x68: return true  // /p, /h
            case 0x64: return lower(2) == 0x69 && lower(3) == 0x76  // /div
            case 0x74: return lower(2) == 0x72  // /tr
            case 0x6C: return lower(2) == 0x69  // /li
            default: return false
            }
        default: return false
        }
    }
}
