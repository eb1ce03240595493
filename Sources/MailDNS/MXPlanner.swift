/// Builds the delivery plan of a domain (RFC 5321 §5.1, RFC 7505).
public struct MXPlanner: Sendable {
    private let resolver: any DNSResolver
    private let addressOrder: AddressOrder
    private let localHostNames: Set<String>
    private let random: @Sendable () -> UInt64

    /// - Parameters:
    ///   - addressOrder: the address families kept for each host, in order.
    ///   - localHostNames: names of this MTA; an MX naming one of them cuts
    ///     the list (RFC 5321 §5.1).
    ///   - random: the source for shuffling equal preferences.
    public init(
        resolver: any DNSResolver,
        addressOrder: AddressOrder = .ipv4First,
        localHostNames: Set<String> = [],
        random: @escaping @Sendable () -> UInt64 = { UInt64.random(in: .min ... .max) }
    ) {
        self.resolver = resolver
        self.addressOrder = addressOrder
        self.localHostNames = Set(localHostNames.compactMap { try? DNSName.normalized($0) })
        self.random = random
    }

    public func plan(for domain: String) async throws(MXPlanError) -> MXPlan {
        let name: String
        do {
            name = try DNSName.normalized(domain)
        } catch {
            throw .invalidDomain(domain)
        }
        let answer: DNSAnswer<[MXRecord]>
        do {
            answer = try await resolver.mx(name)
        } catch {
            switch error {
            // RFC 5321 §5.1: no MX, the domain is its own mail host.
            case .noData: return try await implicitPlan(for: name)
            case .nxdomain: throw .nxdomain(name)
            case .invalidName: throw .invalidDomain(name)
            case .serverFailure, .timeout, .malformed, .resolverUnavailable:
                throw .temporary(name, reason: error.description)
            }
        }
        // RFC 7505 §4.1: no delivery to a domain with a null MX, and no
        // fallback to its A/AAAA records either.
        if MXOrdering.isNullMX(answer.records) {
            throw .nullMX(name)
        }
        var generator = ClosureRandomNumberGenerator(source: random)
        let ordered = MXOrdering.ordered(answer.records, using: &generator)
        if ordered.isEmpty {
            // Only root exchanges: a null MX in all but its preference.
            throw .nullMX(name)
        }
        let candidates = MXOrdering.droppingLocal(ordered, localNames: localHostNames)
        if candidates.isEmpty {
            throw .mxLoopsBack(name)
        }
        return try await resolveHosts(of: name, candidates: candidates, mxTTL: answer.ttl)
    }

    private func implicitPlan(for name: String) async throws(MXPlanError) -> MXPlan {
        let answer: DNSAnswer<[IPAddressRecord]>
        do {
            answer = try await resolver.addresses(name)
        } catch {
            switch error {
            case .nxdomain: throw .nxdomain(name)
            case .noData: throw .noAddress(name)
            case .invalidName: throw .invalidDomain(name)
            case .serverFailure, .timeout, .malformed, .resolverUnavailable:
                throw .temporary(name, reason: error.description)
            }
        }
        let addresses = addressOrder.apply(answer.records)
        guard !addresses.isEmpty else { throw .noAddress(name) }
        return MXPlan(
            domain: name,
            hosts: [MXHost(name: name, preference: 0, addresses: addresses)],
            implicit: true,
            ttl: answer.ttl
        )
    }

    /// Looks up the addresses of several hosts at once, in their order.
    private func lookUpAll(_ candidates: [MXRecord]) async -> [Result<DNSAnswer<[IPAddressRecord]>, DNSError>?] {
        let resolver = self.resolver
        return await withTaskGroup(
            of: (Int, Result<DNSAnswer<[IPAddressRecord]>, DNSError>).self
        ) { group in
            for (index, candidate) in candidates.enumerated() {
                group.addTask {
                    do throws(DNSError) {
                        return (index, .success(try await resolver.addresses(candidate.exchange)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var collected: [(Int, Result<DNSAnswer<[IPAddressRecord]>, DNSError>)] = []
            collected.reserveCapacity(candidates.count)
            for await entry in group {
                collected.append(entry)
            }
            return collected.sorted { $0.0 < $1.0 }.map { Optional($0.1) }
        }
    }

    /// Looks up every candidate at once; hosts without an address are
    /// skipped, and a plan with no host left is a temporary failure.
    private func resolveHosts(
        of name: String,
        candidates: [MXRecord],
        mxTTL: Duration
    ) async throws(MXPlanError) -> MXPlan {
        let outcomes: [Result<DNSAnswer<[IPAddressRecord]>, DNSError>?]
        if candidates.count == 1 {
            // The common case, and nearly always a cache hit: no child task to wait for.
            do throws(DNSError) {
                outcomes = [.success(try await resolver.addresses(candidates[0].exchange))]
            } catch {
                outcomes = [.failure(error)]
            }
        } else {
            outcomes = await lookUpAll(candidates)
        }
        var hosts: [MXHost] = []
        var skipped: [SkippedMXHost] = []
        var ttl = mxTTL
        for (candidate, outcome) in zip(candidates, outcomes) {
            switch outcome {
            case .success(let answer):
                let addresses = addressOrder.apply(answer.records)
                if addresses.isEmpty {
                    let reason = DNSError.noData(candidate.exchange, negativeTTL: nil)
                    skipped.append(
                        SkippedMXHost(name: candidate.exchange, preference: candidate.preference, reason: reason))
                } else {
                    hosts.append(
                        MXHost(name: candidate.exchange, preference: candidate.preference, addresses: addresses))
                    ttl = min(ttl, answer.ttl)
                }
            case .failure(let error):
                skipped.append(SkippedMXHost(name: candidate.exchange, preference: candidate.preference, reason: error))
            case nil:
                let reason = DNSError.resolverUnavailable(candidate.exchange)
                skipped.append(
                    SkippedMXHost(name: candidate.exchange, preference: candidate.preference, reason: reason))
            }
        }
        guard !hosts.isEmpty else {
            // RFC 5321 §5.1: MX records present but none usable is an error;
            // retried, as a host's address may be published later.
            let reasons = skipped.map { $0.reason.description }.joined(separator: "; ")
            throw .temporary(name, reason: "no MX host has an address: \(reasons)")
        }
        return MXPlan(domain: name, hosts: hosts, implicit: false, skipped: skipped, ttl: ttl)
    }
}

/// A `RandomNumberGenerator` over an injected source.
struct ClosureRandomNumberGenerator: RandomNumberGenerator {
    var source: @Sendable () -> UInt64

    mutating func next() -> UInt64 {
        source()
    }
}
