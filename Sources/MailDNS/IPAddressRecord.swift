/// An address from an A (RFC 1035 §3.4.1) or AAAA (RFC 3596 §2.1) record.
public struct IPAddressRecord: Sendable, Hashable {
    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    /// The address in presentation form (`inet_ntop`): "192.0.2.1",
    /// "2001:db8::1".
    public var address: String
    public var family: Family

    public init(address: String, family: Family) {
        self.address = address
        self.family = family
    }

    public static func ipv4(_ address: String) -> IPAddressRecord {
        IPAddressRecord(address: address, family: .ipv4)
    }

    public static func ipv6(_ address: String) -> IPAddressRecord {
        IPAddressRecord(address: address, family: .ipv6)
    }
}
