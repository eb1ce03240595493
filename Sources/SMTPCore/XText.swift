/// The xtext encoding of DSN and AUTH parameter values (RFC 3461 §4, RFC 4954 §5).
public enum XText {
    // RFC 3461 §4:
    //   xtext    = *( xchar / hexchar )
    //   xchar    = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+" and "=".
    //   hexchar  = ASCII "+" immediately followed by two upper case hexadecimal digits
    /// The decoded text; nil when malformed or when the decoded octets are not UTF-8.
    /// Lower-case hex digits are accepted (be liberal in what you accept).
    public static func decode(_ s: some StringProtocol) -> String? {
        var decoded: [UInt8] = []
        var iterator = s.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case ASCII.plus:
                guard let high = iterator.next().flatMap(ASCII.hexValue),
                    let low = iterator.next().flatMap(ASCII.hexValue)
                else {
                    return nil
                }
                decoded.append(high << 4 | low)
            case ASCII.equals:
                return nil
            case 33...126:
                decoded.append(byte)
            default:
                return nil
            }
        }
        return ASCII.validString(decoded)
    }

    /// Encodes every octet outside xchar as "+XX" (upper-case hex).
    public static func encode(_ s: String) -> String {
        var encoded = ""
        encoded.reserveCapacity(s.utf8.count)
        for byte in s.utf8 {
            if (33...126).contains(byte) && byte != ASCII.plus && byte != ASCII.equals {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded.append("+")
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return encoded
    }

    static let hexDigits: [Character] = Array("0123456789ABCDEF")
}
