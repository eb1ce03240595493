import NIOConcurrencyHelpers

/// A `DNSResolver` that remembers answers for their TTL and failures for
/// the times of a `DNSCachePolicy`, in front of another resolver.
///
/// Concurrent lookups of the same (type, name) share one upstream query:
/// a burst of messages to one domain asks once.
public final class CachingResolver: DNSResolver {
    private struct State: Sendable {
        var cache: DNSCache
        /// Callers waiting for the query another caller is running.
        var inFlight: [DNSCache.Key: [CheckedContinuation<Admission, Never>]] = [:]
    }

    private enum Admission: Sendable {
        /// The value, from the cache or from another caller's query.
        case cached(DNSCache.Value)
        /// This caller queries and hands the value to the waiters.
        case query
    }

    private let upstream: any DNSResolver
    private let policy: DNSCachePolicy
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let state: NIOLockedValueBox<State>

    /// - Parameter clock: the current instant; tests pass a manual clock.
    public init(
        upstream: any DNSResolver,
        policy: DNSCachePolicy = DNSCachePolicy(),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.upstream = upstream
        self.policy = policy
        self.clock = clock
        self.state = NIOLockedValueBox(State(cache: DNSCache(capacity: policy.maximumEntries)))
    }

    /// Entries held, live or expired but not yet dropped.
    public var count: Int {
        state.withLockedValue { $0.cache.count }
    }

    /// Forgets every answer and failure.
    public func removeAll() {
        state.withLockedValue { $0.cache.removeAll() }
    }

    public func mx(_ domain: String) async throws(DNSError) -> DNSAnswer<[MXRecord]> {
        let name = try DNSName.normalized(domain)
        let value = await value(for: .mx(name)) { [upstream] () async -> DNSCache.Value in
            do throws(DNSError) {
                return .mx(try await upstream.mx(name))
            } catch {
                return .failure(error)
            }
        }
        switch value {
        case .mx(let answer): return answer
        case .failure(let error): throw error
        case .addresses, .txt: throw .malformed(name)
        }
    }

    public func addresses(_ host: String) async throws(DNSError) -> DNSAnswer<[IPAddressRecord]> {
        let name = try DNSName.normalized(host)
        let value = await value(for: .addresses(name)) { [upstream] () async -> DNSCache.Value in
            do throws(DNSError) {
                return .addresses(try await upstream.addresses(name))
            } catch {
                return .failure(error)
            }
        }
        switch value {
        case .addresses(let answer): return answer
        case .failure(let error): throw error
        case .mx, .txt: throw .malformed(name)
        }
    }

    public func txt(_ name: String) async throws(DNSError) -> DNSAnswer<[String]> {
        let name = try DNSName.normalized(name)
        let value = await value(for: .txt(name)) { [upstream] () async -> DNSCache.Value in
            do throws(DNSError) {
                return .txt(try await upstream.txt(name))
            } catch {
                return .failure(error)
            }
        }
        switch value {
        case .txt(let answer): return answer
        case .failure(let error): throw error
        case .mx, .addresses: throw .malformed(name)
        }
    }

    /// The cached value, or the one a single upstream query gives to every
    /// caller waiting for the same key.
    private func value(
        for key: DNSCache.Key,
        query: () async -> DNSCache.Value
    ) async -> DNSCache.Value {
        let clock = self.clock
        if let hit = state.withLockedValue({ $0.cache.value(for: key, at: clock()) }) {
            return hit
        }
        let admission = await withCheckedContinuation { (continuation: CheckedContinuation<Admission, Never>) in
            state.withLockedValue { state in
                if let hit = state.cache.value(for: key, at: clock()) {
                    continuation.resume(returning: .cached(hit))
                } else if state.inFlight[key] != nil {
                    state.inFlight[key, default: []].append(continuation)
                } else {
                    state.inFlight[key] = []
                    continuation.resume(returning: .query)
                }
            }
        }
        if case .cached(let value) = admission {
            return value
        }
        let value = await query()
        let lifetime = lifetime(of: value)
        let waiters = state.withLockedValue { state in
            state.cache.insert(value, for: key, lifetime: lifetime, at: clock())
            return state.inFlight.removeValue(forKey: key) ?? []
        }
        for waiter in waiters {
            waiter.resume(returning: .cached(value))
        }
        return value
    }

    private func lifetime(of value: DNSCache.Value) -> Duration {
        switch value {
        case .mx(let answer): return policy.lifetime(ofAnswerWith: answer.ttl)
        case .addresses(let answer): return policy.lifetime(ofAnswerWith: answer.ttl)
        case .txt(let answer): return policy.lifetime(ofAnswerWith: answer.ttl)
        case .failure(let error): return policy.lifetime(of: error)
        }
    }
}
