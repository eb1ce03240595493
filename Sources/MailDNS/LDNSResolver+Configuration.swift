extension LDNSResolver {
    /// Where and how the stub resolver asks. Defaults follow resolv.conf(5)
    /// and ldns.
    public struct Configuration: Sendable, Hashable {
        /// Nameserver addresses (IPv4 or IPv6 literals). `nil` reads the
        /// `nameserver` lines of `resolvConfPath`.
        public var nameservers: [String]?
        /// The port every nameserver is asked on (ldns keeps one per
        /// resolver). Tests point it at a loopback server.
        public var port: Int
        /// Read when `nameservers` is `nil`.
        public var resolvConfPath: String
        /// How long to wait for one answer from one nameserver.
        public var timeout: Duration
        /// Tries per nameserver before the next one is asked (ldns
        /// `retry`); a lookup that gets no answer takes at most
        /// timeout × attempts × nameservers.
        public var attempts: Int
        /// EDNS(0) UDP payload size advertised (RFC 6891 §6.2.5); `nil`
        /// sends no OPT record and answers over 512 octets come by TCP.
        /// 1232 is the DNS Flag Day 2020 size.
        public var ednsUDPSize: Int?

        public init(
            nameservers: [String]? = nil,
            port: Int = 53,
            resolvConfPath: String = "/etc/resolv.conf",
            timeout: Duration = .seconds(5),
            attempts: Int = 2,
            ednsUDPSize: Int? = 1232
        ) {
            self.nameservers = nameservers
            self.port = port
            self.resolvConfPath = resolvConfPath
            self.timeout = timeout
            self.attempts = attempts
            self.ednsUDPSize = ednsUDPSize
        }
    }

    /// A configuration ldns cannot use.
    public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String

        public init(_ description: String) {
            self.description = description
        }
    }
}
