/// `Local-part "@" ( Domain / address-literal )` (RFC 5321 §4.1.2, RFC 6531 §3.3).
public struct Mailbox: Hashable, Sendable, CustomStringConvertible {
    /// Decoded: the quotes and the backslashes of quoted-pairs are removed.
    public var localPart: String
    public var domain: MailDomain

    public init(localPart: String, domain: MailDomain) {
        self.localPart = localPart
        self.domain = domain
    }

    /// Parses `local@domain` (no angle brackets); nil when it is not valid RFC 5321 / RFC 6531 syntax.
    public init?(parsing text: String) {
        var parser = AddressParser(Array(text.utf8))
        guard let mailbox = try? parser.parseMailbox(), parser.isAtEnd else { return nil }
        self = mailbox
    }

    /// Any non-ASCII octet in the local part or the domain (RFC 6531 §3.3).
    public var requiresSMTPUTF8: Bool {
        localPart.utf8.contains { $0 >= 0x80 } || domain.requiresSMTPUTF8
    }

    /// The wire form: the local part as a Dot-string when it is one, otherwise as a Quoted-string.
    public var description: String {
        "\(Self.wireLocalPart(localPart))@\(domain)"
    }

    // RFC 5321 §4.1.2:
    //   Local-part = Dot-string / Quoted-string
    //   Dot-string = Atom *("."  Atom)
    //   Quoted-string = DQUOTE *QcontentSMTP DQUOTE
    //   quoted-pairSMTP = %d92 %d32-126
    // RFC 5321 §4.1.2: a local part SHOULD be sent as a Dot-string when it can be.
    static func wireLocalPart(_ localPart: String) -> String {
        if isDotString(localPart.utf8) {
            return localPart
        }
        var quoted = "\""
        for scalar in localPart.unicodeScalars {
            if scalar == "\"" || scalar == "\\" {
                quoted.append("\\")
            }
            quoted.unicodeScalars.append(scalar)
        }
        quoted.append("\"")
        return quoted
    }

    private static func isDotString(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = ASCII.dot
        for byte in bytes {
            if byte == ASCII.dot {
                guard previous != ASCII.dot else { return false }
            } else if !ASCII.isAtext(byte) {
                return false
            }
            previous = byte
        }
        return previous != ASCII.dot
    }
}
