/// The RCPT parameter ORCPT= (RFC 3461 §4.2, RFC 6533 §3).
public struct OriginalRecipient: Hashable, Sendable {
    /// "rfc822", "utf-8" (RFC 6533) or another registered address type, as given.
    public var addressType: String
    /// Decoded from xtext (RFC 3461 §4.2) or, for "utf-8", from utf-8-addr-xtext (RFC 6533 §3).
    public var address: String

    public init(addressType: String, address: String) {
        self.addressType = addressType
        self.address = address
    }

    /// Whether the address type is "utf-8" (RFC 6533 §3), compared case-insensitively.
    public var isUTF8Type: Bool { addressType.lowercased() == "utf-8" }

    // RFC 3461 §4.2:
    //   orcpt-parameter = "ORCPT=" original-recipient-address
    //   original-recipient-address = addr-type ";" xtext
    //   addr-type = atom
    /// Parses the value after "ORCPT="; nil when malformed.
    public init?(parameterValue value: String) {
        guard let semicolon = value.firstIndex(of: ";") else { return nil }
        let type = value[..<semicolon]
        let encoded = value[value.index(after: semicolon)...]
        guard !type.isEmpty, type.utf8.allSatisfy({ ASCII.isAtext($0) && $0 < 0x80 }), !encoded.isEmpty else {
            return nil
        }
        let address = type.lowercased() == "utf-8" ? UTF8AddressText.decode(encoded) : XText.decode(encoded)
        guard let address else { return nil }
        self.init(addressType: String(type), address: address)
    }

    /// "rfc822;" + xtext, or "utf-8;" + utf-8-addr-xtext.
    public var parameterValue: String {
        addressType + ";" + (isUTF8Type ? UTF8AddressText.encode(address) : XText.encode(address))
    }
}
