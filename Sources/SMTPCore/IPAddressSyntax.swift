/// Address literal validation (RFC 5321 §4.1.3).
enum IPAddressSyntax {
    /// The content of an address literal, without the brackets.
    static func isValidAddressLiteral(_ content: [UInt8]) -> Bool {
        if content.first.map(ASCII.isDigit) == true && !content.contains(ASCII.colon) {
            return isValidIPv4(content[...])
        }
        if ASCII.hasPrefix("IPv6:", in: content, at: 0) {
            return isValidIPv6(content[5...])
        }
        return isValidGeneralLiteral(content)
    }

    // RFC 5321 §4.1.3:
    //   IPv4-address-literal = Snum 3("."  Snum)
    //   Snum = 1*3DIGIT  ; representing a decimal integer value in the range 0 through 255
    static func isValidIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: ASCII.dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(ASCII.isDigit) else { return false }
            guard part.reduce(0, { $0 * 10 + Int($1 - 0x30) }) <= 255 else { return false }
        }
        return true
    }

    // RFC 5321 §4.1.3:
    //   IPv6-addr   = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp
    //   IPv6-hex    = 1*4HEXDIG
    //   IPv6-full   = IPv6-hex 7(":" IPv6-hex)
    //   IPv6-comp   = [IPv6-hex *5(":" IPv6-hex)] "::" [IPv6-hex *5(":" IPv6-hex)]
    //                 ; The "::" represents at least 2 16-bit groups of zeros. No more than 6 groups in
    //                 ; addition to the "::" may be present.
    //   IPv6v4-full = IPv6-hex 5(":" IPv6-hex) ":" IPv4-address-literal
    //   IPv6v4-comp = [IPv6-hex *3(":" IPv6-hex)] "::" [IPv6-hex *3(":" IPv6-hex) ":"] IPv4-address-literal
    //                 ; No more than 4 groups in addition to the "::" and IPv4-address-literal may be present.
    static func isValidIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let compression = firstDoubleColon(in: bytes) else {
            guard let groups = groupCount(bytes, allowIPv4Tail: true) else { return false }
            return groups == 8
        }
        let left = bytes[bytes.startIndex..<compression]
        let right = bytes[(compression + 2)...]
        guard let leftGroups = left.isEmpty ? 0 : groupCount(left, allowIPv4Tail: false),
            let rightGroups = right.isEmpty ? 0 : groupCount(right, allowIPv4Tail: true)
        else {
            return false
        }
        return leftGroups + rightGroups <= 6
    }

    private static func firstDoubleColon(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == ASCII.colon && bytes[index + 1] == ASCII.colon {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Number of 16-bit groups (an IPv4 tail counts two), or nil when a group is malformed.
    private static func groupCount(_ bytes: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> Int? {
        let groups = bytes.split(separator: ASCII.colon, omittingEmptySubsequences: false)
        var count = 0
        for (position, group) in groups.enumerated() {
            if position == groups.count - 1 && allowIPv4Tail && group.contains(ASCII.dot) {
                guard isValidIPv4(group) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(group.count), group.allSatisfy(ASCII.isHexDigit) else { return nil }
                count += 1
            }
        }
        return count
    }

    // RFC 5321 §4.1.3:
    //   General-address-literal = Standardized-tag ":" 1*dcontent
    //   Standardized-tag = Ldh-str
    //   dcontent = %d33-90 / %d94-126
    static func isValidGeneralLiteral(_ content: [UInt8]) -> Bool {
        guard let colon = content.firstIndex(of: ASCII.colon) else { return false }
        let tag = content[..<colon]
        let value = content[(colon + 1)...]
        guard let first = tag.first, let last = tag.last, ASCII.isLetDig(first), ASCII.isLetDig(last),
            tag.allSatisfy({ ASCII.isLetDig($0) || $0 == ASCII.hyphen })
        else {
            return false
        }
        // The "IPv6" tag is reserved for the IPv6 form above.
        guard !ASCII.hasPrefix("IPv6", in: Array(tag), at: 0) || tag.count != 4 else { return false }
        return !value.isEmpty && value.allSatisfy { (33...90).contains($0) || (94...126).contains($0) }
    }
}
