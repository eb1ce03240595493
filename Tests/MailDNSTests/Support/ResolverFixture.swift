import MailDNS
import NIOPosix

/// Runs `body` with a started thread pool, shut down afterwards.
func withThreadPool<T>(threads: Int = 4, _ body: (NIOThreadPool) async throws -> T) async throws -> T {
    let pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
    do {
        let result = try await body(pool)
        try await pool.shutdownGracefully()
        return result
    } catch {
        try? await pool.shutdownGracefully()
        throw error
    }
}

/// An `LDNSResolver` asking only `server`, quickly giving up.
func loopbackResolver(
    _ server: DNSTestServer,
    pool: NIOThreadPool,
    timeout: Duration = .seconds(2)
) throws -> LDNSResolver {
    try LDNSResolver(
        configuration: .init(nameservers: [server.host], port: server.port, timeout: timeout, attempts: 1),
        threadPool: pool
    )
}
