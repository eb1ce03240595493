/// Minimal JSON text for string arrays and string maps (RFC 8259 §7 escaping), without Foundation's encoder:
/// the importer writes one of each per row, and the JSON Lines export one object per contact.
enum JSONText {
    static func array(_ values: [String]) -> String {
        guard !values.isEmpty else { return "[]" }
        var out = "["
        for (offset, value) in values.enumerated() {
            if offset > 0 { out += "," }
            appendString(value, to: &out)
        }
        return out + "]"
    }

    /// Keys in sorted order, so that equal maps give equal text.
    static func object(_ values: [String: String]) -> String {
        guard !values.isEmpty else { return "{}" }
        var out = "{"
        for (offset, key) in values.keys.sorted().enumerated() {
            if offset > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            appendString(values[key] ?? "", to: &out)
        }
        return out + "}"
    }

    static func string(_ text: String) -> String {
        var out = ""
        appendString(text, to: &out)
        return out
    }

    /// Appends `text` quoted and escaped; a text without `"`, `\` or control characters (the common case) is
    /// appended as a whole.
    static func appendString(_ text: some StringProtocol, to out: inout String) {
        out += "\""
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            out.append(contentsOf: text)
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.utf8.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSONText {
    /// `appendString` on UTF-8 bytes, for the importer, which builds its JSON from the CSV bytes.
    static func appendString(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        out.append(0x22)
        guard bytes.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            out.append(contentsOf: bytes)
            out.append(0x22)
            return
        }
        let hexDigits = Array("0123456789abcdef".utf8)
        for byte in bytes {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case ..<0x20:
                out += Array("\\u00".utf8)
                out += [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}
