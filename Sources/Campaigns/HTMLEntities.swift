/// Character references in attribute values (HTML Living Standard §13.2.5.72–80), enough for URLs:
/// numeric references (`&#38;`, `&#x26;`) and the named ones that turn up in hrefs (`&amp;`, `&lt;`,
/// `&gt;`, `&quot;`, `&apos;`). Anything else is left as it stands.
enum HTMLEntities {
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&"), let (scalar, end) = reference(bytes, at: index) {
                output.append(contentsOf: String(Character(scalar)).utf8)
                index = end
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static let named: [(name: [UInt8], scalar: Unicode.Scalar)] = [
        (Array("amp;".utf8), "&"), (Array("lt;".utf8), "<"), (Array("gt;".utf8), ">"),
        (Array("quot;".utf8), "\""), (Array("apos;".utf8), "'"),
    ]

    /// The character a reference at `start` (an `&`) stands for and the index after it.
    private static func reference(_ bytes: ArraySlice<UInt8>, at start: Int) -> (Unicode.Scalar, Int)? {
        let rest = bytes[(start + 1)...]
        if rest.first == UInt8(ascii: "#") { return numeric(bytes, at: start + 2) }
        for (name, scalar) in named where rest.starts(with: name) {
            return (scalar, start + 1 + name.count)
        }
        return nil
    }

    /// `&#NNN;` or `&#xHHH;` (the `;` required); `digitsStart` is after `#`.
    private static func numeric(_ bytes: ArraySlice<UInt8>, at digitsStart: Int) -> (Unicode.Scalar, Int)? {
        var index = digitsStart
        var radix: UInt32 = 10
        if index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "x") {
            radix = 16
            index += 1
        }
        var value: UInt32 = 0
        let first = index
        while index < bytes.endIndex, let digit = hexValue(bytes[index]), digit < radix, index - first < 8 {
            value = value * radix + digit
            index += 1
        }
        guard index > first, index < bytes.endIndex, bytes[index] == UInt8(ascii: ";"),
            let scalar = Unicode.Scalar(value), value != 0
        else { return nil }
        return (scalar, index + 1)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
