import Logging
import NIOPosix

/// DNS lookups through ldns, a blocking stub resolver, run on a
/// `NIOThreadPool` so that no event loop and no cooperative-pool thread
/// waits on the network.
///
/// Each lookup holds one pool thread for its round trips (up to timeout ×
/// attempts × nameservers when nothing answers): size the pool for the
/// lookups wanted in flight, and put a `CachingResolver` in front.
public struct LDNSResolver: DNSResolver {
    private let handles: LDNSHandlePool
    private let threadPool: NIOThreadPool
    private let logger: Logger

    /// - Parameters:
    ///   - configuration: nameservers (default: /etc/resolv.conf), port,
    ///     timeout, attempts.
    ///   - threadPool: a started pool; lookups fail with
    ///     `DNSError.resolverUnavailable` once it is shut down.
    /// - Throws: when resolv.conf cannot be read or an address is invalid.
    public init(
        configuration: Configuration = Configuration(),
        threadPool: NIOThreadPool,
        logger: Logger = Logger(label: "petrel.dns")
    ) throws(ConfigurationError) {
        self.handles = try LDNSHandlePool(configuration: configuration)
        self.threadPool = threadPool
        self.logger = logger
    }

    public func mx(_ domain: String) async throws(DNSError) -> DNSAnswer<[MXRecord]> {
        try await lookup(domain, type: .mx, extract: DNSLookup.mx).get()
    }

    /// Asks A and AAAA at the same time, on two pool threads.
    public func addresses(_ host: String) async throws(DNSError) -> DNSAnswer<[IPAddressRecord]> {
        async let ipv4 = lookup(host, type: .a, extract: DNSLookup.ipv4)
        async let ipv6 = lookup(host, type: .aaaa, extract: DNSLookup.ipv6)
        return try await AddressAnswerMerger.merge(name: host, ipv4: ipv4, ipv6: ipv6).get()
    }

    public func txt(_ name: String) async throws(DNSError) -> DNSAnswer<[String]> {
        try await lookup(name, type: .txt, extract: DNSLookup.text).get()
    }

    private func lookup<Record: Sendable>(
        _ name: String,
        type: DNSRecordType,
        extract: @escaping @Sendable (DNSResourceRecord.RecordData) -> Record?
    ) async -> Result<DNSAnswer<[Record]>, DNSError> {
        let normalized: String
        do {
            normalized = try DNSName.normalized(name)
        } catch {
            return .failure(error)
        }
        let handles = self.handles
        let result: Result<DNSAnswer<[Record]>, DNSError>
        do {
            result = try await threadPool.runIfActive {
                Result { () throws(DNSError) in
                    try handles.withHandle(name: normalized) { (handle) throws(DNSError) in
                        try DNSLookup.run(
                            name: normalized,
                            type: type,
                            query: { (queried, queriedType) throws(DNSError) in
                                try handle.query(queried, type: queriedType)
                            },
                            extract: extract
                        )
                    }
                }
            }
        } catch {
            result = .failure(.resolverUnavailable(normalized))
        }
        if case .failure(let error) = result {
            logger.debug(
                "DNS lookup failed",
                metadata: ["name": "\(normalized)", "type": "\(type.rawValue)", "error": "\(error)"]
            )
        }
        return result
    }
}
