/// The domain part of a mailbox: a domain name or an address literal (RFC 5321 §4.1.2, RFC 6531 §3.3).
public enum MailDomain: Hashable, Sendable, CustomStringConvertible {
    /// As given, case unchanged; A-labels or U-labels (RFC 6531 §3.3).
    case name(String)
    /// The text inside the brackets: "127.0.0.1", "IPv6:::1" or a general literal "tag:content".
    case addressLiteral(String)

    /// Parses `example.com`, `[192.0.2.1]`, `[IPv6:2001:db8::1]`; nil when it is not valid RFC 5321 syntax.
    public init?(parsing text: String) {
        var parser = AddressParser(Array(text.utf8))
        guard let domain = try? parser.parseDomainOrLiteral(), parser.isAtEnd else { return nil }
        self = domain
    }

    /// The wire form: the name, or "[literal]".
    public var description: String {
        switch self {
        case .name(let name): name
        case .addressLiteral(let literal): "[\(literal)]"
        }
    }

    /// Any octet outside ASCII (a U-label), RFC 6531 §3.3.
    public var requiresSMTPUTF8: Bool {
        switch self {
        case .name(let name): name.utf8.contains { $0 >= 0x80 }
        case .addressLiteral: false
        }
    }
}
