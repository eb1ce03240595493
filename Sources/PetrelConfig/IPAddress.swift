/// Textual IPv4 and IPv6 addresses as bytes in network order, and back.
enum IPAddress {
    /// IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet (RFC 3986 §3.2.2); no leading zeros,
    /// which some resolvers would read as octal.
    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        // Over the UTF-8 bytes: checked for every connection (trusted networks), so no Character work.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4)
        var value = 0
        var digits = 0
        var first: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, value <= 255, bytes.count < 3 else { return nil }
                bytes.append(UInt8(value))
                value = 0
                digits = 0
                continue
            }
            // 1 to 3 digits, no leading zero but in "0" itself.
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3 else { return nil }
            if digits == 1 && first == UInt8(ascii: "0") { return nil }
            if digits == 0 { first = byte }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        guard digits > 0, value <= 255, bytes.count == 3 else { return nil }
        bytes.append(UInt8(value))
        return bytes
    }

    /// IPv6address (RFC 4291 §2.2): eight groups of up to four hex digits, one "::" for a run of zero groups, and
    /// optionally an IPv4 address in place of the last two groups.
    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        guard let head = groups(halves[0], allowIPv4Tail: halves.count == 1) else { return nil }
        if halves.count == 1 {
            return head.count == 16 ? head : nil
        }
        guard let tail = groups(halves[1], allowIPv4Tail: true), head.count + tail.count <= 14 else {
            return nil
        }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    private static func groups(_ text: Substring, allowIPv4Tail: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (offset, part) in parts.enumerated() {
            if offset == parts.count - 1 && allowIPv4Tail && part.contains(".") {
                guard let v4 = parseIPv4(part) else { return nil }
                bytes += v4
                continue
            }
            guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit), let group = UInt16(part, radix: 16)
            else { return nil }
            bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
        }
        return bytes
    }

    /// Either family; an IPv6 zone (`fe80::1%eth0`) is ignored.
    static func parse(_ text: String) -> [UInt8]? {
        if let v4 = parseIPv4(text[...]) { return v4 }
        let withoutZone = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
        if withoutZone.count == 2 && withoutZone[1].isEmpty { return nil }
        return parseIPv6(withoutZone[0])
    }

    /// `127.0.0.1`, or IPv6 in the canonical form of RFC 5952 §4: lowercase, no leading zeros, the longest run
    /// of two or more zero groups (the first if tied) written as "::".
    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1
        var bestLength = 1
        var runStart = 0
        for (offset, group) in groups.enumerated() {
            if group != 0 {
                runStart = offset + 1
            } else if offset - runStart + 1 > bestLength {
                bestStart = runStart
                bestLength = offset - runStart + 1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
