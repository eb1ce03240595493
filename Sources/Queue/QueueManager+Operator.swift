import Foundation
import Spool

/// What `petrel queue` asks of the running queue.
extension QueueManager {
    /// Makes every waiting item (of one domain, or all) due now.
    public func flush(domain: String? = nil) -> Int {
        let now = clock.now()
        var count = 0
        for key in Array(scheduled.keys) where domain == nil || key.domain == domain?.lowercased() {
            scheduled[key]!.makeAllDue(at: now)
            count += scheduled[key]!.count
        }
        signal()
        return count
    }

    /// Stops handing out work and waits (up to `timeout`) for open
    /// connections to finish the message they are sending, so that a
    /// restart neither loses nor repeats a delivery.
    public func drain(timeout: Duration = .seconds(30)) async {
        draining = true
        releaseIdleWorkers()
        let deadline = ContinuousClock.now + timeout
        while ready.values.contains(where: { $0.activeConnections > 0 }) && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Re-examines the queues now (after the clock moved).
    public func wake() {
        signal()
    }

    public func suspend(domain: String) {
        suspendedDomains.insert(domain.lowercased())
    }

    public func resume(domain: String) {
        suspendedDomains.remove(domain.lowercased())
        signal()
    }

    public var suspended: Set<String> { suspendedDomains }

    /// Removes a message's waiting items (before delete or bounce).
    public func forget(_ id: QueueID) -> Int {
        var removed = 0
        for key in Array(scheduled.keys) {
            removed += scheduled[key]!.remove(message: id).count
            if scheduled[key]!.isEmpty { scheduled[key] = nil }
        }
        return removed
    }

    /// Per-domain counts for `queue list --by-domain`.
    public func summary() -> [(domain: String, items: Int, oldest: Date?, suspended: Bool)] {
        var byDomain: [String: (Int, Date?)] = [:]
        for (key, queue) in scheduled {
            let entry = byDomain[key.domain] ?? (0, nil)
            let oldest = [entry.1, queue.oldestArrival].compactMap { $0 }.min()
            byDomain[key.domain] = (entry.0 + queue.count, oldest)
        }
        return byDomain.map { ($0.key, $0.value.0, $0.value.1, suspendedDomains.contains($0.key)) }
            .sorted { $0.domain < $1.domain }
    }

    /// One MX site's mail for `queue list --by-site`: the domains last planned to it, their recipients
    /// waiting for a retry, those ready or being sent, and the site's open connections.
    public struct SiteSummary: Sendable, Hashable, Codable {
        public var site: String
        public var domains: [String]
        public var scheduled: Int
        public var ready: Int
        public var connections: Int
        public var suspendedUntil: Date?
    }

    /// Per-site counts. Domains not planned yet (never due since start) are under the site "unresolved".
    /// Without `domains`, each site's domain list stays empty (metrics: no walk over the ready items).
    public func siteSummary(domains listDomains: Bool = true) -> [SiteSummary] {
        var sites: [String: SiteSummary] = [:]
        func entry(_ site: String) -> SiteSummary {
            sites[site] ?? SiteSummary(site: site, domains: [], scheduled: 0, ready: 0, connections: 0)
        }
        for (key, queue) in scheduled {
            let site = siteOfDomain[key.domain] ?? "unresolved"
            var summary = entry(site)
            summary.scheduled += queue.count
            if listDomains, !summary.domains.contains(key.domain) { summary.domains.append(key.domain) }
            sites[site] = summary
        }
        for queue in ready.values {
            let site = queue.plan.siteName
            var summary = entry(site)
            summary.ready += queue.items.count
            summary.connections += queue.activeConnections
            if listDomains {
                for item in queue.items where !summary.domains.contains(item.domain) {
                    summary.domains.append(item.domain)
                }
            }
            if let until = queue.suspendedUntil, until > clock.now() {
                summary.suspendedUntil = max(summary.suspendedUntil ?? until, until)
            }
            sites[site] = summary
        }
        return sites.values.map { summary in
            var sorted = summary
            sorted.domains.sort()
            return sorted
        }.sorted { $0.site < $1.site }
    }

    /// The queue's time: what retries, expiry and backoff are measured against (a test clock in tests).
    public nonisolated var now: Date { clock.now() }

    /// Items waiting in scheduled queues, and in ready queues.
    public var counts: (scheduled: Int, ready: Int, inFlight: Int) {
        (scheduled.values.reduce(0) { $0 + $1.count }, ready.values.reduce(0) { $0 + $1.items.count }, inFlight)
    }
}
