/// Which addresses of an MX host are tried, and in which order.
public enum AddressOrder: Sendable, Hashable {
    case ipv4First
    case ipv6First
    case ipv4Only
    case ipv6Only

    /// The addresses kept, each family in the order the server sent them.
    public func apply(_ records: [IPAddressRecord]) -> [IPAddressRecord] {
        let ipv4 = records.filter { $0.family == .ipv4 }
        let ipv6 = records.filter { $0.family == .ipv6 }
        switch self {
        case .ipv4First: return ipv4 + ipv6
        case .ipv6First: return ipv6 + ipv4
        case .ipv4Only: return ipv4
        case .ipv6Only: return ipv6
        }
    }
}
