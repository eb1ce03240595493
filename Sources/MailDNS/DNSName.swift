/// Domain-name normalisation shared by the resolvers and the cache.
enum DNSName {
    /// Lowercases `name` and drops one trailing dot; rejects what is not a
    /// valid ASCII host-style name: empty labels, a label over 63 octets, a
    /// name over 253 characters (RFC 1035 §2.3.4), non-ASCII (U-labels must
    /// be converted to A-labels first, RFC 5890 §2.3.2.1).
    static func normalized(_ name: String) throws(DNSError) -> String {
        var text = name
        if text.hasSuffix(".") {
            text.removeLast()
        }
        guard !text.isEmpty, text.utf8.count <= 253 else {
            throw .invalidName(name)
        }
        var labelLength = 0
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "."):
                guard labelLength > 0 else { throw .invalidName(name) }
                labelLength = 0
            case UInt8(ascii: "\\"):
                // ldns would read a backslash as the start of an escape.
                throw .invalidName(name)
            case 0x21...0x7E:
                labelLength += 1
                guard labelLength <= 63 else { throw .invalidName(name) }
            default:
                throw .invalidName(name)
            }
            // RFC 4343 §3: ASCII case-insensitive.
            result.append(byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte)
        }
        guard labelLength > 0 else { throw .invalidName(name) }
        return String(decoding: result, as: UTF8.self)
    }

    /// Lowercases a name decoded from the wire and drops its trailing dot,
    /// keeping "." for the root.
    static func fromWire(_ text: String) -> String {
        var name = text.lowercased()
        if name.count > 1, name.hasSuffix(".") {
            name.removeLast()
        }
        return name
    }
}
