import Testing

@testable import MailDNS

@Suite("Caching resolver: TTL and negative caching")
struct CachingResolverTests {
    let stub = StubResolver()
    let clock = ManualClock()

    func cache(_ policy: DNSCachePolicy = DNSCachePolicy()) -> CachingResolver {
        CachingResolver(upstream: stub, policy: policy, clock: clock.function)
    }

    @Test("an answer is served from memory until its TTL, with the TTL it has left")
    func positive() async throws {
        stub.setMX(
            "example.com", .success(DNSAnswer(records: [.init(preference: 10, exchange: "mx")], ttl: .seconds(300))))
        let resolver = cache()
        #expect(try await resolver.mx("Example.com.").ttl == .seconds(300))
        clock.advance(by: .seconds(100))
        #expect(try await resolver.mx("example.com").ttl == .seconds(200))
        clock.advance(by: .seconds(199))
        #expect(try await resolver.mx("example.com").ttl == .seconds(1))
        #expect(stub.calls == ["MX example.com"])
        clock.advance(by: .seconds(1))
        #expect(try await resolver.mx("example.com").ttl == .seconds(300))
        #expect(stub.calls == ["MX example.com", "MX example.com"])
    }

    @Test("types are cached apart")
    func typesApart() async throws {
        stub.setTXT("example.com", .success(DNSAnswer(records: ["v=spf1 -all"], ttl: .seconds(60))))
        stub.setAddresses("example.com", .success(DNSAnswer(records: [.ipv4("192.0.2.1")], ttl: .seconds(60))))
        let resolver = cache()
        _ = try await resolver.txt("example.com")
        _ = try await resolver.addresses("example.com")
        _ = try await resolver.txt("example.com")
        await #expect(throws: DNSError.nxdomain("example.com", negativeTTL: nil)) {
            try await resolver.mx("example.com")
        }
        #expect(stub.calls == ["TXT example.com", "ADDR example.com", "MX example.com"])
    }

    @Test("TTLs above the maximum are cut; zero is not cached")
    func ttlBounds() async throws {
        stub.setTXT("long", .success(DNSAnswer(records: ["x"], ttl: .seconds(1_000_000))))
        stub.setTXT("zero", .success(DNSAnswer(records: ["y"], ttl: .zero)))
        let resolver = cache(DNSCachePolicy(maximumTTL: .seconds(3600)))
        #expect(try await resolver.txt("long").ttl == .seconds(1_000_000))
        #expect(try await resolver.txt("long").ttl == .seconds(3600))
        _ = try await resolver.txt("zero")
        _ = try await resolver.txt("zero")
        #expect(stub.calls == ["TXT long", "TXT zero", "TXT zero"])
    }

    @Test(
        "failures are cached for the policy's times",
        arguments: [
            (DNSError.serverFailure("d.test"), Duration.seconds(30)),
            (.timeout("d.test"), .seconds(30)),
            (.malformed("d.test"), .seconds(30)),
            (.nxdomain("d.test", negativeTTL: nil), .seconds(60)),
            (.noData("d.test", negativeTTL: .seconds(10)), .seconds(10)),
            (.nxdomain("d.test", negativeTTL: .seconds(86_400)), .seconds(900)),
        ]
    )
    func negative(error: DNSError, lifetime: Duration) async throws {
        stub.setMX("d.test", .failure(error))
        let resolver = cache()
        await #expect(throws: error) { try await resolver.mx("d.test") }
        clock.advance(by: lifetime - .seconds(1))
        await #expect(throws: error) { try await resolver.mx("d.test") }
        #expect(stub.calls.count == 1)
        clock.advance(by: .seconds(1))
        await #expect(throws: error) { try await resolver.mx("d.test") }
        #expect(stub.calls.count == 2)
    }

    @Test("a cached SERVFAIL gives way to the answer once it expires")
    func recovers() async throws {
        stub.setMX("d.test", .failure(.serverFailure("d.test")))
        let resolver = cache(DNSCachePolicy(failureTTL: .seconds(5)))
        await #expect(throws: DNSError.serverFailure("d.test")) { try await resolver.mx("d.test") }
        stub.setMX("d.test", .success(DNSAnswer(records: [.init(preference: 1, exchange: "mx")], ttl: .seconds(60))))
        await #expect(throws: DNSError.serverFailure("d.test")) { try await resolver.mx("d.test") }
        clock.advance(by: .seconds(5))
        #expect(try await resolver.mx("d.test").records.count == 1)
    }

    @Test("failure times over five minutes are cut (RFC 2308 §7)")
    func failureCap() {
        let policy = DNSCachePolicy(failureTTL: .seconds(3600))
        #expect(policy.lifetime(of: .serverFailure("x")) == .seconds(300))
        #expect(policy.lifetime(of: .invalidName("x")) == .zero)
        #expect(policy.lifetime(of: .resolverUnavailable("x")) == .zero)
    }

    @Test("invalid names never reach upstream")
    func invalidName() async {
        let resolver = cache()
        await #expect(throws: DNSError.invalidName("a..b")) { try await resolver.txt("a..b") }
        #expect(stub.calls.isEmpty)
    }

    @Test("a full cache drops expired entries first, then the soonest to expire")
    func capacity() async throws {
        for index in 0..<8 {
            stub.setTXT("n\(index)", .success(DNSAnswer(records: ["\(index)"], ttl: .seconds(100 + index))))
        }
        let resolver = cache(DNSCachePolicy(maximumEntries: 4))
        for index in 0..<4 {
            _ = try await resolver.txt("n\(index)")
        }
        #expect(resolver.count == 4)
        _ = try await resolver.txt("n4")
        // The entry closest to expiry (n0) made room.
        #expect(resolver.count == 4)
        _ = try await resolver.txt("n1")
        _ = try await resolver.txt("n0")
        #expect(stub.calls.suffix(1) == ["TXT n0"])
        clock.advance(by: .seconds(200))
        _ = try await resolver.txt("n5")
        #expect(resolver.count == 1)
    }

    @Test("concurrent lookups of one name share one upstream query")
    func coalesces() async throws {
        let slow = StubResolver(delay: .milliseconds(50))
        slow.setMX("busy.test", .success(DNSAnswer(records: [.init(preference: 1, exchange: "mx")], ttl: .seconds(60))))
        let resolver = CachingResolver(upstream: slow, clock: clock.function)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { try await resolver.mx("busy.test").records.count }
            }
            for try await count in group {
                #expect(count == 1)
            }
        }
        #expect(slow.calls == ["MX busy.test"])
    }
}
