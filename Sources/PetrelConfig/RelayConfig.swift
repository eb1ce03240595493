/// `[relay]`: who may relay without AUTH, and which domains are ours.
public struct RelayConfig: Sendable, Equatable {
    /// Clients in these networks may relay to any domain without AUTH on listeners of mode relay.
    public var trustedNetworks: [CIDR]
    /// Domains anyone may send to without AUTH, lowercased.
    public var localDomains: [String]

    public init(trustedNetworks: [CIDR], localDomains: [String]) {
        self.trustedNetworks = trustedNetworks
        self.localDomains = localDomains.map { $0.lowercased() }
    }

    public static let defaults = RelayConfig(
        trustedNetworks: [CIDR("127.0.0.0/8")!, CIDR("::1/128")!],
        localDomains: []
    )

    /// Whether a client address lies in one of the trusted networks.
    public func isTrusted(_ address: String) -> Bool {
        trustedNetworks.contains { $0.contains(address) }
    }

    /// Whether a domain (any case, with or without a trailing dot) is one of the local domains.
    public func isLocal(domain: String) -> Bool {
        var domain = domain.lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        return localDomains.contains(domain)
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        let networks = try reader.stringArray(
            "trusted_networks",
            default: defaults.trustedNetworks.map(\.description)
        )
        trustedNetworks = []
        for (offset, text) in networks.enumerated() {
            guard let network = CIDR(text) else {
                throw reader.error(
                    "trusted_networks",
                    element: offset,
                    "\"\(text)\" is not a network such as \"192.0.2.0/24\", \"2001:db8::/32\" or an address"
                )
            }
            trustedNetworks.append(network)
        }
        localDomains = []
        for (offset, text) in try reader.stringArray("local_domains", default: defaults.localDomains).enumerated() {
            guard DomainName.isValid(text) else {
                throw reader.error("local_domains", element: offset, "\"\(text)\" is not a domain name")
            }
            localDomains.append(text.lowercased())
        }
        try reader.finish()
    }
}
