import CLDNS
import NIOConcurrencyHelpers

/// Lends ldns resolvers to thread-pool threads, one thread per handle at a
/// time. Handles are made on demand, so there are at most as many as
/// lookups ever ran at once (bounded by the thread pool's size), and are
/// reused afterwards.
final class LDNSHandlePool: Sendable {
    private let configuration: LDNSResolver.Configuration
    private let idle: NIOLockedValueBox<[SendableHandle]>

    /// Makes one handle now so that a bad configuration fails at start-up.
    init(configuration: LDNSResolver.Configuration) throws(LDNSResolver.ConfigurationError) {
        self.configuration = configuration
        let first = try LDNSHandle(configuration)
        self.idle = NIOLockedValueBox([SendableHandle(handle: first)])
    }

    /// Runs `body` with a handle no other thread holds. Blocks for as long
    /// as `body` does.
    func withHandle<T>(
        name: String,
        _ body: (LDNSHandle) throws(DNSError) -> T
    ) throws(DNSError) -> T {
        let handle: LDNSHandle
        if let lent = idle.withLockedValue({ $0.popLast() }) {
            handle = lent.handle
        } else {
            do {
                handle = try LDNSHandle(configuration)
            } catch {
                throw .resolverUnavailable(name)
            }
        }
        defer { idle.withLockedValue { $0.append(SendableHandle(handle: handle)) } }
        return try body(handle)
    }
}

/// A handle crossing threads through the pool's lock: whoever pops it owns
/// it until it is pushed back, so it is never used by two threads at once.
private struct SendableHandle: @unchecked Sendable {
    var handle: LDNSHandle
}
