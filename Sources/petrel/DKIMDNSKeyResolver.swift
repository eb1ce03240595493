import DKIM
import Logging
import MailDNS
import NIOPosix

/// DKIM key lookups over Petrel's DNS resolver: TXT at `selector._domainkey.domain` (RFC 6376 §3.6.2.2).
/// NXDOMAIN and NODATA mean there is no key (`permerror`); anything transient is `temperror`
/// (RFC 6376 §6.1.2: "TEMPFAIL (key unavailable)").
struct DKIMDNSKeyResolver: DKIMKeyResolver {
    var resolver: any DNSResolver

    func lookupTXT(_ name: String) async -> DKIMTXTLookupResult {
        do {
            let answer = try await resolver.txt(name)
            return answer.records.isEmpty ? .notFound : .records(answer.records)
        } catch {
            return error.isPermanent ? .notFound : .temporaryFailure(error.description)
        }
    }

    /// Runs `body` with a resolver over ldns (nameservers from /etc/resolv.conf unless `nameserver` is given,
    /// `HOST` or `HOST:PORT`), on a one-thread pool that is shut down afterwards.
    static func withDNS<Result: Sendable>(
        nameserver: String?, _ body: (DKIMDNSKeyResolver) async throws -> Result
    ) async throws -> Result {
        var configuration = LDNSResolver.Configuration(timeout: .seconds(5), attempts: 2)
        if let nameserver {
            let parts = nameserver.split(separator: ":")
            if parts.count == 2, let port = Int(parts[1]) {
                configuration.nameservers = [String(parts[0])]
                configuration.port = port
            } else {
                configuration.nameservers = [nameserver]
            }
        }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            let dns = try LDNSResolver(
                configuration: configuration, threadPool: pool, logger: Logger(label: "petrel.dkim.dns"))
            let result = try await body(DKIMDNSKeyResolver(resolver: dns))
            try await pool.shutdownGracefully()
            return result
        } catch let error as LDNSResolver.ConfigurationError {
            try? await pool.shutdownGracefully()
            throw DKIMCommandError("DNS resolver: \(error)")
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
    }
}
