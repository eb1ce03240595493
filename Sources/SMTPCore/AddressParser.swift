/// A cursor over the octets of a path, mailbox or domain (RFC 5321 §4.1.2, RFC 6531 §3.3).
struct AddressParser {
    /// What `parsePath` found.
    enum Path: Hashable {
        case null
        case postmaster
        case mailbox(Mailbox)
    }

    let bytes: [UInt8]
    var index: Int

    init(_ bytes: [UInt8], index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    // RFC 5321 §4.1.2:
    //   Reverse-path = Path / "<>"
    //   Forward-path = Path
    //   Path         = "<" [ A-d-l ":" ] Mailbox ">"
    //   A-d-l        = At-domain *( "," At-domain )   ; source route, accepted and ignored (Appendix C)
    //   At-domain    = "@" Domain
    // RFC 5321 §4.1.1.3: "<Postmaster>" without a domain, any case.
    /// Parses a path starting at "<"; the cursor ends after ">".
    mutating func parsePath() throws(AddressSyntaxError) -> Path {
        let start = index
        guard peek == ASCII.lessThan else { throw AddressSyntaxError("angle brackets required") }
        index += 1
        if peek == ASCII.greaterThan {
            index += 1
            return .null
        }
        if ASCII.hasPrefix("postmaster>", in: bytes, at: index) {
            index += 11
            return .postmaster
        }
        if peek == ASCII.at {
            try skipSourceRoute()
        }
        let mailbox = try parseMailbox()
        guard peek == ASCII.greaterThan else {
            throw AddressSyntaxError(isAtEnd ? "missing closing angle bracket" : "unexpected character in address")
        }
        index += 1
        // RFC 5321 §4.5.3.1.3: a path is at most 256 octets, punctuation included.
        guard index - start <= SMTPLimits.maxPathLength else { throw AddressSyntaxError("address too long") }
        return .mailbox(mailbox)
    }

    private mutating func skipSourceRoute() throws(AddressSyntaxError) {
        while true {
            guard peek == ASCII.at else { throw AddressSyntaxError("invalid source route") }
            index += 1
            _ = try parseDomainOrLiteral()
            if peek == ASCII.comma {
                index += 1
                continue
            }
            guard peek == ASCII.colon else { throw AddressSyntaxError("invalid source route") }
            index += 1
            return
        }
    }

    // RFC 5321 §4.1.2:
    //   Mailbox    = Local-part "@" ( Domain / address-literal )
    //   Local-part = Dot-string / Quoted-string    ; MAY be case-sensitive
    // RFC 5321 §4.5.3.1.1: a local part is at most 64 octets.
    mutating func parseMailbox() throws(AddressSyntaxError) -> Mailbox {
        let start = index
        let localBytes = peek == ASCII.dquote ? try parseQuotedString() : try parseDotString()
        guard index - start <= SMTPLimits.maxLocalPartLength else { throw AddressSyntaxError("local part too long") }
        guard let localPart = ASCII.validString(localBytes) else { throw AddressSyntaxError("invalid UTF-8") }
        guard peek == ASCII.at else {
            throw AddressSyntaxError(isAtEnd || peek == ASCII.greaterThan ? "domain missing" : "invalid local part")
        }
        index += 1
        let domain = try parseDomainOrLiteral()
        return Mailbox(localPart: localPart, domain: domain)
    }

    // RFC 5321 §4.1.2:
    //   Dot-string = Atom *("."  Atom)
    //   Atom       = 1*atext
    // RFC 6531 §3.3: atext =/ UTF8-non-ascii
    private mutating func parseDotString() throws(AddressSyntaxError) -> ArraySlice<UInt8> {
        let start = index
        while true {
            let atomStart = index
            while let byte = peek, ASCII.isAtext(byte) {
                index += 1
            }
            guard index > atomStart else {
                throw AddressSyntaxError(
                    index == start && peek == ASCII.at ? "local part missing" : "invalid local part")
            }
            guard peek == ASCII.dot else { break }
            index += 1
        }
        return bytes[start..<index]
    }

    // RFC 5321 §4.1.2:
    //   Quoted-string   = DQUOTE *QcontentSMTP DQUOTE
    //   QcontentSMTP    = qtextSMTP / quoted-pairSMTP
    //   quoted-pairSMTP = %d92 %d32-126
    //   qtextSMTP       = %d32-33 / %d35-91 / %d93-126
    // RFC 6531 §3.3: qtextSMTP =/ UTF8-non-ascii
    /// The decoded content, without quotes and quoting backslashes.
    private mutating func parseQuotedString() throws(AddressSyntaxError) -> ArraySlice<UInt8> {
        index += 1
        var content: [UInt8] = []
        while let byte = peek {
            index += 1
            switch byte {
            case ASCII.dquote:
                return content[...]
            case ASCII.backslash:
                guard let quoted = peek, (0x20...0x7E).contains(quoted) else {
                    throw AddressSyntaxError("invalid quoted string")
                }
                content.append(quoted)
                index += 1
            case 0x20...0x7E, 0x80...0xFF:
                content.append(byte)
            default:
                throw AddressSyntaxError("invalid quoted string")
            }
        }
        throw AddressSyntaxError("unterminated quoted string")
    }

    mutating func parseDomainOrLiteral() throws(AddressSyntaxError) -> MailDomain {
        peek == ASCII.openBracket ? try parseAddressLiteral() : try parseDomain()
    }

    // RFC 5321 §4.1.2:
    //   Domain     = sub-domain *("." sub-domain)
    //   sub-domain = Let-dig [Ldh-str]
    //   Ldh-str    = *( ALPHA / DIGIT / "-" ) Let-dig
    // RFC 6531 §3.3: sub-domain =/ U-label
    // RFC 1035 §2.3.4: a label is at most 63 octets; RFC 5321 §4.5.3.1.2: a domain at most 255.
    mutating func parseDomain() throws(AddressSyntaxError) -> MailDomain {
        let start = index
        while true {
            let labelStart = index
            while let byte = peek, ASCII.isLetDig(byte) || byte == ASCII.hyphen || byte >= 0x80 {
                index += 1
            }
            guard index > labelStart else {
                throw AddressSyntaxError(index == start ? "domain missing" : "invalid domain")
            }
            guard bytes[labelStart] != ASCII.hyphen, bytes[index - 1] != ASCII.hyphen else {
                throw AddressSyntaxError("invalid domain")
            }
            guard index - labelStart <= 63 else { throw AddressSyntaxError("domain label too long") }
            guard peek == ASCII.dot else { break }
            index += 1
        }
        guard index - start <= SMTPLimits.maxDomainLength else { throw AddressSyntaxError("domain too long") }
        guard let name = ASCII.validString(bytes[start..<index]) else { throw AddressSyntaxError("invalid UTF-8") }
        return .name(name)
    }

    // RFC 5321 §4.1.2:
    //   address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
    // RFC 5321 §4.1.3:
    //   IPv4-address-literal    = Snum 3("."  Snum)
    //   IPv6-address-literal    = "IPv6:" IPv6-addr
    //   General-address-literal = Standardized-tag ":" 1*dcontent
    //   Standardized-tag        = Ldh-str
    //   dcontent                = %d33-90 / %d94-126
    mutating func parseAddressLiteral() throws(AddressSyntaxError) -> MailDomain {
        index += 1
        let start = index
        while let byte = peek, byte != ASCII.closeBracket {
            guard (33...126).contains(byte), byte != ASCII.openBracket, byte != ASCII.backslash else {
                throw AddressSyntaxError("invalid address literal")
            }
            index += 1
        }
        guard peek == ASCII.closeBracket else { throw AddressSyntaxError("unterminated address literal") }
        let content = Array(bytes[start..<index])
        index += 1
        guard index - start + 1 <= SMTPLimits.maxDomainLength else { throw AddressSyntaxError("domain too long") }
        guard IPAddressSyntax.isValidAddressLiteral(content) else {
            throw AddressSyntaxError("invalid address literal")
        }
        return .addressLiteral(String(decoding: content, as: UTF8.self))
    }
}
