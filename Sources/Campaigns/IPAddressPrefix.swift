/// An address block such as `17.0.0.0/8` or `2620:149::/32`, matched against textual client addresses.
/// Addresses are compared as 16 bytes, IPv4 as IPv4-mapped IPv6 (RFC 4291 §2.5.5.2), so `::ffff:17.1.2.3`
/// is in `17.0.0.0/8`.
struct IPAddressPrefix: Sendable, Hashable {
    let bytes: [UInt8]
    /// Leading bits that must match, of 128.
    let length: Int

    /// `address/length`; nil when malformed.
    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let bytes = Self.parse(String(parts[0])), let length = Int(parts[1]) else {
            return nil
        }
        let isIPv4 = !parts[0].contains(":")
        let total = isIPv4 ? length + 96 : length
        guard length >= 0, total <= 128 else { return nil }
        self.bytes = bytes
        self.length = total
    }

    func contains(_ address: String) -> Bool {
        guard let other = Self.parse(address) else { return false }
        var bits = length
        for index in 0..<16 where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if (bytes[index] ^ other[index]) & mask != 0 { return false }
            bits -= 8
        }
        return true
    }

    /// 16 bytes for an IPv4 dotted quad (RFC 791 notation) or an IPv6 address in the text forms of
    /// RFC 4291 §2.2 (with `::` and a dotted-quad tail); brackets and a zone (`%eth0`, RFC 6874) are ignored.
    static func parse(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        if !text.contains(":") {
            guard let quad = parseIPv4(text) else { return nil }
            return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + quad
        }
        return parseIPv6(text)
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        var halves = [String(text)]
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        guard let head = groups(halves[0]) else { return nil }
        var tail: [UInt8] = []
        if halves.count == 2 {
            guard let parsed = groups(halves[1]) else { return nil }
            tail = parsed
        }
        let present = head.count + tail.count
        if halves.count == 2 {
            guard present <= 14 else { return nil }
            return head + [UInt8](repeating: 0, count: 16 - present) + tail
        }
        return present == 16 ? head : nil
    }

    /// The bytes of colon-separated hex groups, the last of which may be a dotted quad.
    private static func groups(_ text: String) -> [UInt8]? {
        guard !text.isEmpty else { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, part.contains(".") {
                guard let quad = parseIPv4(part) else { return nil }
                bytes += quad
            } else {
                guard (1...4).contains(part.count), part.allSatisfy(\.isHexDigit), let value = UInt16(part, radix: 16)
                else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
            }
        }
        return bytes
    }
}
