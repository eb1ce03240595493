import Foundation

/// The trace field a receiving MTA prepends (RFC 5321 §4.4), with the protocol names of RFC 3848 / RFC 6531.
public struct ReceivedHeader: Sendable {
    /// The HELO/EHLO argument.
    public var heloName: String
    /// The client's IP address; an IPv6 address is written as an "IPv6:" address literal.
    public var clientAddress: String
    /// The client's verified reverse DNS name, if any.
    public var clientHostname: String?
    public var byHostname: String
    /// "SMTP", "ESMTP", "ESMTPS", "ESMTPA", "ESMTPSA", "UTF8SMTP", "UTF8SMTPS", "UTF8SMTPA", "UTF8SMTPSA".
    public var `protocol`: String
    public var queueID: String
    /// Written as "for <recipient>" (only when the message has exactly one recipient).
    public var recipient: String?
    /// e.g. "TLSv1.3 cipher TLS_AES_256_GCM_SHA384", written as a comment.
    public var tls: String?
    public var date: Date
    /// Offset of the date's time zone, seconds east of UTC.
    public var timeZoneOffsetSeconds: Int

    public init(
        heloName: String,
        clientAddress: String,
        clientHostname: String? = nil,
        byHostname: String,
        protocol: String,
        queueID: String,
        recipient: String? = nil,
        tls: String? = nil,
        date: Date,
        timeZoneOffsetSeconds: Int = 0
    ) {
        self.heloName = heloName
        self.clientAddress = clientAddress
        self.clientHostname = clientHostname
        self.byHostname = byHostname
        self.protocol = `protocol`
        self.queueID = queueID
        self.recipient = recipient
        self.tls = tls
        self.date = date
        self.timeZoneOffsetSeconds = timeZoneOffsetSeconds
    }

    /// Lines are folded before 78 characters where a space allows it (RFC 5322 §2.1.1).
    static let foldWidth = 78

    // RFC 5321 §4.4:
    //   Stamp           = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
    //   From-domain     = "FROM" FWS Extended-Domain
    //   By-domain       = CFWS "BY" FWS Extended-Domain
    //   Extended-Domain = Domain / ( Domain FWS "(" TCP-info ")" ) / ( address-literal FWS "(" TCP-info ")" )
    //   TCP-info        = address-literal / ( Domain FWS address-literal )
    //   Opt-info        = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
    /// "Received: from helo (host [ip])\r\n\tby host with ESMTPS id X\r\n\tfor <a@b>; date\r\n"; every line
    /// ends in CRLF. Client-supplied text is sanitized so it cannot break the field or its comments.
    public func render() -> String {
        let literal = Self.addressLiteral(clientAddress)
        let tcpInfo = clientHostname.map { "(\(Self.sanitized($0, inComment: true)) \(literal))" } ?? "(\(literal))"
        var groups: [[String]] = [["from " + Self.sanitized(heloName, inComment: true), tcpInfo]]
        if let tls {
            groups.append(["(" + Self.sanitized(tls, inComment: true) + ")"])
        }
        var by = [
            "by " + Self.sanitized(byHostname), "with " + Self.sanitized(`protocol`), "id " + Self.sanitized(queueID),
        ]
        let dateText = RFC5322Date.format(date, timeZoneOffsetSeconds: timeZoneOffsetSeconds)
        if let recipient {
            let address = Self.sanitized(recipient)
            let path = address.hasPrefix("<") ? address : "<\(address)>"
            groups.append(by)
            groups.append(["for " + path + ";", dateText])
        } else {
            by[by.count - 1] += ";"
            by.append(dateText)
            groups.append(by)
        }
        return Self.fold(groups)
    }

    /// Each group starts a new line; inside a group, clauses ("by host", "with ESMTP", "id X") are joined by
    /// spaces until the line would exceed `foldWidth`, then folded with CRLF HTAB.
    private static func fold(_ groups: [[String]]) -> String {
        var text = "Received:"
        var lineLength = text.utf8.count
        for (groupIndex, group) in groups.enumerated() {
            for (wordIndex, word) in group.enumerated() {
                let startsLine = groupIndex > 0 && wordIndex == 0
                // Characters, counted without walking grapheme clusters when the word is ASCII.
                let length = word.utf8.allSatisfy { $0 < 0x80 } ? word.utf8.count : word.count
                if startsLine || (lineLength + 1 + length > foldWidth && lineLength > 1) {
                    text += "\r\n\t"
                    lineLength = 1 + length
                } else {
                    text += " "
                    lineLength += 1 + length
                }
                text += word
            }
        }
        return text + "\r\n"
    }

    /// "[192.0.2.1]" or "[IPv6:2001:db8::1]" (RFC 5321 §4.1.3).
    static func addressLiteral(_ address: String) -> String {
        let bare = sanitized(address)
        if bare.hasPrefix("[") {
            return bare
        }
        if bare.utf8.contains(UInt8(ascii: ":")) && !bare.lowercased().hasPrefix("ipv6:") {
            return "[IPv6:\(bare)]"
        }
        return "[\(bare)]"
    }

    /// Control characters and spaces become "?", and in comments the parentheses and backslash too.
    static func sanitized(_ text: String, inComment: Bool = false) -> String {
        // Every octet replaced is ASCII, so a scan of the UTF-8 finds whether anything changes.
        let clean =
            !text.isEmpty
            && !text.utf8.contains { byte in
                byte < 0x20 || byte == 0x7F || (!inComment && byte == UInt8(ascii: " "))
                    || (inComment
                        && (byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "\\")))
            }
        if clean { return text }
        let replaced = text.unicodeScalars.map { scalar -> Character in
            if scalar.value < 0x20 || scalar.value == 0x7F || (!inComment && scalar == " ") {
                return "?"
            }
            if inComment && (scalar == "(" || scalar == ")" || scalar == "\\") {
                return "?"
            }
            return Character(scalar)
        }
        let result = String(replaced)
        return result.isEmpty ? "?" : result
    }
}
