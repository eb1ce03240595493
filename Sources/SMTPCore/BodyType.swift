/// The MAIL parameter BODY= (RFC 6152 §2, RFC 3030 §3).
public enum BodyType: String, Hashable, Sendable {
    case sevenBit = "7BIT"
    /// RFC 6152 §2.
    case eightBitMIME = "8BITMIME"
    /// RFC 3030 §3: only with BDAT.
    case binaryMIME = "BINARYMIME"
}
