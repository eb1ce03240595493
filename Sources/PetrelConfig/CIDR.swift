/// An IPv4 or IPv6 network: `127.0.0.0/8`, `::1/128`; a bare address is a host route (`/32`, `/128`).
///
/// Host bits are cleared, so `10.1.2.3/8` is `10.0.0.0/8`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address, 4 or 16 bytes in network order.
    public let bytes: [UInt8]
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress.parseIPv4(parts[0]) ?? IPAddress.parseIPv6(parts[0]) else { return nil }
        let maximum = address.count * 8
        var length = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }),
                let parsed = Int(digits), parsed <= maximum
            else { return nil }
            length = parsed
        }
        self.init(address: address, prefixLength: length)
    }

    private init(address: [UInt8], prefixLength: Int) {
        self.bytes = Self.mask(address, prefixLength: prefixLength)
        self.prefixLength = prefixLength
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// `127.0.0.0/8`, `::1/128`
    public var description: String { "\(IPAddress.format(bytes))/\(prefixLength)" }

    /// Whether the textual address lies in this network. An IPv4-mapped IPv6 address (`::ffff:127.0.0.1`, as a
    /// dual-stack socket reports IPv4 peers) matches IPv4 networks and the other way round; anything that is not
    /// an address matches nothing.
    public func contains(_ address: String) -> Bool {
        guard var candidate = IPAddress.parse(address) else { return false }
        if candidate.count == 16 && isIPv4 {
            guard candidate.starts(with: Self.mappedPrefix) else { return false }
            candidate = Array(candidate.suffix(4))
        } else if candidate.count == 4 && !isIPv4 {
            candidate = Self.mappedPrefix + candidate
        }
        return Self.mask(candidate, prefixLength: prefixLength) == bytes
    }

    /// ::ffff:0:0/96 (RFC 4291 §2.5.5.2)
    private static let mappedPrefix: [UInt8] = [UInt8](repeating: 0, count: 10) + [0xFF, 0xFF]

    private static func mask(_ address: [UInt8], prefixLength: Int) -> [UInt8] {
        address.enumerated().map { offset, byte in
            let bits = min(8, max(0, prefixLength - offset * 8))
            return bits == 0 ? 0 : byte & ~UInt8((1 << (8 - bits)) - 1 & 0xFF)
        }
    }
}
