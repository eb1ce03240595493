import Foundation
import MailDNS
import NIOPosix
import Testing

/// LDNSResolver against a real dnsmasq on loopback.
@Suite("ldns against dnsmasq on loopback")
struct LDNSResolverLoopbackTests {
    @Test("MX records, TTL from the zone")
    func mx() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let answer = try await loopbackResolver(server, pool: pool).mx("Multi.Test.")
                #expect(
                    Set(answer.records) == [
                        MXRecord(preference: 10, exchange: "mx1.multi.test"),
                        MXRecord(preference: 10, exchange: "mx2.multi.test"),
                        MXRecord(preference: 20, exchange: "mx3.multi.test"),
                        MXRecord(preference: 30, exchange: "nowhere.multi.test"),
                        MXRecord(preference: 40, exchange: "txtonly.multi.test"),
                    ]
                )
                #expect(answer.ttl == .seconds(300))
                #expect(answer.canonicalName == nil)
            }
        }
    }

    @Test("A and AAAA together; one family alone")
    func addresses() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let resolver = try loopbackResolver(server, pool: pool)
                #expect(
                    try await resolver.addresses("mx2.multi.test").records == [
                        .ipv4("192.0.2.2"), .ipv6("2001:db8::2"),
                    ])
                #expect(try await resolver.addresses("mx3.multi.test").records == [.ipv6("2001:db8::3")])
                #expect(try await resolver.addresses("mx1.multi.test").records == [.ipv4("192.0.2.1")])
            }
        }
    }

    @Test("CNAME chains are followed, with the chain's smallest TTL")
    func cname() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let resolver = try loopbackResolver(server, pool: pool)
                let answer = try await resolver.mx("alias.test")
                #expect(answer.records.count == 5)
                #expect(answer.canonicalName == "multi.test")
                #expect(answer.ttl == .seconds(60))
                let host = try await resolver.addresses("mail-alias.cnamemx.test")
                #expect(host.records == [.ipv4("192.0.2.50")])
                #expect(host.canonicalName == "real.cnamemx.test")
            }
        }
    }

    @Test("NXDOMAIN, NODATA, null MX record as served")
    func negative() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let resolver = try loopbackResolver(server, pool: pool)
                await #expect(throws: DNSError.nxdomain("nope.test", negativeTTL: nil)) {
                    try await resolver.mx("nope.test")
                }
                await #expect(throws: DNSError.noData("implicit.test", negativeTTL: nil)) {
                    try await resolver.mx("implicit.test")
                }
                await #expect(throws: DNSError.noData("txtonly.multi.test", negativeTTL: nil)) {
                    try await resolver.addresses("txtonly.multi.test")
                }
                // Alias to a name without MX: NODATA after following the chain.
                await #expect(throws: DNSError.noData("implicit-alias.test", negativeTTL: nil)) {
                    try await resolver.mx("implicit-alias.test")
                }
                #expect(try await resolver.mx("nullmx.test").records == [MXRecord(preference: 0, exchange: ".")])
            }
        }
    }

    @Test("TXT: records apart, strings joined; a 3,000-octet record over TCP")
    func txt() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let resolver = try loopbackResolver(server, pool: pool)
                #expect(Set(try await resolver.txt("txt.test").records) == ["v=spf1 -all", "part one part two"])
                let big = try await resolver.txt("bigtxt.test").records
                #expect(big == [FixtureZone.bigTXTStrings.joined()])
                #expect(big.first?.utf8.count == 3000)
            }
        }
    }

    @Test("SERVFAIL from a validating resolver is a temporary failure")
    func servfail() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { zone in
            try await withDNSServer(FixtureZone.servfailConfiguration(upstreamPort: zone.port)) { validator in
                try await withThreadPool { pool in
                    let resolver = try loopbackResolver(validator, pool: pool)
                    await #expect(throws: DNSError.serverFailure("multi.test")) { try await resolver.mx("multi.test") }
                    #expect(!DNSError.serverFailure("multi.test").isPermanent)
                }
            }
        }
    }

    @Test("a server that never answers is a timeout, after timeout × attempts")
    func timeout() async throws {
        // A bound UDP socket that nobody reads: queries vanish.
        let (silent, port) = try DNSTestServer.boundSocket(type: datagramSocketType, port: 0)
        defer { closeSocket(silent) }
        try await withThreadPool { pool in
            let resolver = try LDNSResolver(
                configuration: .init(nameservers: ["127.0.0.1"], port: port, timeout: .milliseconds(200), attempts: 2),
                threadPool: pool
            )
            let start = ContinuousClock.now
            await #expect(throws: DNSError.timeout("multi.test")) { try await resolver.mx("multi.test") }
            let elapsed = start.duration(to: .now)
            // It waited for the timeouts, and it did not hang (the upper bound is loose:
            // tests run in parallel on two busy cores).
            #expect(elapsed >= .milliseconds(350) && elapsed < .seconds(30), "took \(elapsed)")
            // The same pooled ldns resolver asks again (ldns would otherwise
            // mark the server unreachable for good).
            let again = ContinuousClock.now
            await #expect(throws: DNSError.timeout("multi.test")) { try await resolver.mx("multi.test") }
            #expect(again.duration(to: .now) >= .milliseconds(350))
        }
    }

    @Test("the second nameserver answers when the first is silent")
    func failover() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                // ldns keeps one port per resolver: 127.0.0.2, where nothing
                // listens on the fixture's port, stands for a dead server.
                let resolver = try LDNSResolver(
                    configuration: .init(
                        nameservers: ["127.0.0.2", server.host],
                        port: server.port,
                        timeout: .milliseconds(200),
                        attempts: 1
                    ),
                    threadPool: pool
                )
                #expect(try await resolver.mx("multi.test").records.count == 5)
            }
        }
    }

    @Test("a resolv.conf file is read; a bad configuration fails at init")
    func configuration() async throws {
        try await withDNSServer(FixtureZone.configuration, arguments: FixtureZone.arguments) { server in
            try await withThreadPool { pool in
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("resolv-\(UUID()).conf").path
                try "nameserver \(server.host)\nsearch test\noptions edns0\n".write(
                    toFile: path,
                    atomically: true,
                    encoding: .utf8
                )
                defer { try? FileManager.default.removeItem(atPath: path) }
                let resolver = try LDNSResolver(
                    configuration: .init(port: server.port, resolvConfPath: path, timeout: .seconds(1), attempts: 1),
                    threadPool: pool
                )
                #expect(try await resolver.addresses("implicit.test").records.count == 2)
                // resolv.conf `search` is not applied: names are absolute, and
                // dnsmasq, with no upstream for names outside `test`, fails.
                await #expect(throws: DNSError.serverFailure("implicit")) {
                    try await resolver.addresses("implicit")
                }
                #expect(throws: LDNSResolver.ConfigurationError.self) {
                    try LDNSResolver(configuration: .init(resolvConfPath: "/nonexistent/resolv.conf"), threadPool: pool)
                }
                #expect(throws: LDNSResolver.ConfigurationError.self) {
                    try LDNSResolver(configuration: .init(nameservers: ["not-an-ip"]), threadPool: pool)
                }
            }
        }
    }

    @Test("dnsmasq's own complaint is shown when it cannot start")
    func startFailure() async throws {
        #expect {
            try DNSTestServer.start(configuration: "no-such-option=1\n")
        } throws: { error in
            "\(error)".contains("bad option at line 6")
        }
    }

    @Test("a shut-down pool is reported, not hung on")
    func poolShutDown() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let resolver = try LDNSResolver(configuration: .init(nameservers: ["127.0.0.1"], port: 9), threadPool: pool)
        try await pool.shutdownGracefully()
        await #expect(throws: DNSError.resolverUnavailable("multi.test")) { try await resolver.mx("multi.test") }
    }
}
