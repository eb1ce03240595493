/// Serialises `JSONValue` to compact RFC 8259 text: no insignificant whitespace, object members sorted by
/// key so the same data always gives the same bytes, and only the escapes §7 requires.
///
/// Written by hand rather than with `JSONEncoder` because the payload envelope has a fixed member order
/// (`id`, `event`, `created`, `data`) that receivers' logs show as documented, and because the output must
/// be byte-stable: a payload is signed, stored and re-posted verbatim.
struct JSONWriter {
    var bytes: [UInt8] = []

    /// Appends one value; non-finite doubles have no JSON form (RFC 8259 §6) and are refused.
    mutating func write(_ value: JSONValue) throws(WebhookError) {
        switch value {
        case .string(let text): writeString(text)
        case .int(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard number.isFinite else {
                throw .invalid(field: "data", reason: "non-finite number has no JSON representation")
            }
            bytes.append(contentsOf: String(number).utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            try writeObject(members.sorted { $0.key < $1.key })
        }
    }

    /// Appends an object whose members keep the given order.
    mutating func writeObject(_ members: [(key: String, value: JSONValue)]) throws(WebhookError) {
        bytes.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(member.key)
            bytes.append(UInt8(ascii: ":"))
            try write(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends an array of strings, which cannot fail.
    mutating func writeStringArray(_ strings: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(string)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// RFC 8259 §7: quotation mark, reverse solidus and the controls U+0000–U+001F must be escaped;
    /// everything else goes out as its UTF-8 bytes (§8.1).
    mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Hex.digits[Int(byte >> 4)])
                bytes.append(Hex.digits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
