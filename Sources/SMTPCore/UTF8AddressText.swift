/// The utf-8-addr-xtext / utf-8-addr-unitext forms of an ORCPT "utf-8" address (RFC 6533 §3).
enum UTF8AddressText {
    // RFC 6533 §3:
    //   utf-8-addr-xtext   = 1*(QCHAR / EChar)
    //   utf-8-addr-unitext = 1*(QUCHAR / EChar)
    //   QCHAR    = %x21-2a / %x2c-3c / %x3e-5b / %x5d-7e   ; no "+", "=" or "\"
    //   QUCHAR   = QCHAR / UTF8-2 / UTF8-3 / UTF8-4
    //   EChar    = "\x{" HEXPOINT "}"
    //   HEXPOINT = 2*6HEXDIG   ; a Unicode scalar value
    static func decode(_ text: some StringProtocol) -> String? {
        var decoded = ""
        var scalars = Substring(text).unicodeScalars[...]
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            switch scalar.value {
            case 0x5C:
                guard scalars.starts(with: "x{".unicodeScalars) else { return nil }
                scalars = scalars.dropFirst(2)
                let hex = scalars.prefix { $0 != "}" }
                guard (2...6).contains(hex.count), scalars.count > hex.count,
                    hex.allSatisfy({ $0.isASCII && ASCII.isHexDigit(UInt8($0.value)) }),
                    let value = UInt32(String(Substring(hex)), radix: 16),
                    let escaped = Unicode.Scalar(value)
                else {
                    return nil
                }
                scalars = scalars.dropFirst(hex.count + 1)
                decoded.unicodeScalars.append(escaped)
            case 0x2B, 0x3D:
                return nil
            case 0x21...0x7E, 0x80...:
                decoded.unicodeScalars.append(scalar)
            default:
                return nil
            }
        }
        return decoded.isEmpty ? nil : decoded
    }

    /// utf-8-addr-xtext: everything outside QCHAR as "\x{HEX}".
    static func encode(_ text: String) -> String {
        var encoded = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x21...0x2A, 0x2C...0x3C, 0x3E...0x5B, 0x5D...0x7E:
                encoded.unicodeScalars.append(scalar)
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                encoded += "\\x{" + (hex.count < 2 ? "0" + hex : hex) + "}"
            }
        }
        return encoded
    }
}
