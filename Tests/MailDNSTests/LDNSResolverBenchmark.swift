import MailDNS
import NIOPosix
import Testing

/// 1,000 MX lookups against loopback dnsmasq, one after the other and 32 at
/// a time on an 8-thread pool. Off by default: PETREL_DNS_BENCH=1 runs it
/// (use `swift test -c release`).
@Suite("ldns benchmark", .enabled(if: ProcessInfoEnvironment.value("PETREL_DNS_BENCH") == "1"))
struct LDNSResolverBenchmark {
    @Test("1,000 MX lookups, serial and concurrent")
    func lookups() async throws {
        try await withDNSServer(FixtureZone.configuration) { server in
            try await withThreadPool(threads: 8) { pool in
                let resolver = try loopbackResolver(server, pool: pool)
                let serialStart = ContinuousClock.now
                for _ in 0..<1000 {
                    _ = try await resolver.mx("multi.test")
                }
                let serial = serialStart.duration(to: .now)
                let concurrentStart = ContinuousClock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<1000 {
                        if index >= 32 {
                            try await group.next()
                        }
                        group.addTask { _ = try await resolver.mx("multi.test") }
                    }
                    try await group.waitForAll()
                }
                let concurrent = concurrentStart.duration(to: .now)
                print("1000 MX lookups: serial \(serial), 32 in flight on 8 threads \(concurrent)")
            }
        }
    }
}
