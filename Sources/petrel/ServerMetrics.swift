import Foundation
import HTTPAPI
import Queue
import SMTPServer
import Spool
import Synchronization

/// What `GET /api/v1/metrics` reports: counters kept since start (messages accepted over SMTP, recipient
/// outcomes) and gauges read at each scrape (SMTP sessions, the spool, the queue by domain and by MX site).
final class ServerMetrics: Sendable {
    struct Counters: Sendable {
        var acceptedMessages = 0
        var acceptedBytes = 0
        /// Recipients by outcome: delivered, deferred (one per attempt), bounced, expired, suppressed.
        var outcomes: [String: Int] = [:]
    }

    private let counters = Mutex(Counters())

    /// A message accepted over SMTP and on stable storage (counted as its 250 is sent).
    func accepted(bytes: Int) {
        counters.withLock {
            $0.acceptedMessages += 1
            $0.acceptedBytes += bytes
        }
    }

    func recipients(_ outcome: String, _ count: Int) {
        guard count > 0 else { return }
        counters.withLock { $0.outcomes[outcome, default: 0] += count }
    }

    var snapshot: Counters { counters.withLock { $0 } }

    /// The whole exposition.
    func render(server: SMTPServerService, spool: Spool, manager: QueueManager) async -> String {
        let counts = snapshot
        var text = MetricsText()
        text.single(
            "petrel_smtp_sessions", .gauge, help: "SMTP sessions open now, on every listener.", server.openSessions)
        let connections = server.connectionTotals
        text.family(
            "petrel_smtp_connections_total", .counter,
            help: "SMTP connections since start: admitted, or answered 421 over the total or per-address limit.")
        text.sample("petrel_smtp_connections_total", ["result": "admitted"], connections.admitted)
        text.sample(
            "petrel_smtp_connections_total", ["result": "refused_total_limit"], connections.refusedOverTotalLimit)
        text.sample(
            "petrel_smtp_connections_total", ["result": "refused_address_limit"], connections.refusedOverAddressLimit)
        text.single(
            "petrel_smtp_messages_accepted_total", .counter,
            help: "Messages accepted over SMTP since start (each answered 250 after it was on stable storage).",
            counts.acceptedMessages)
        text.single(
            "petrel_smtp_accepted_bytes_total", .counter, help: "Bytes of the messages accepted over SMTP since start.",
            counts.acceptedBytes)
        text.family(
            "petrel_recipients_total", .counter,
            help: "Recipients since start by outcome; deferred counts each deferred attempt.")
        for outcome in ["delivered", "deferred", "bounced", "expired", "suppressed"] {
            text.sample("petrel_recipients_total", ["outcome": outcome], counts.outcomes[outcome, default: 0])
        }
        renderSpool(spool, into: &text)
        await renderQueue(manager, now: manager.now, into: &text)
        return text.text
    }

    private func renderSpool(_ spool: Spool, into text: inout MetricsText) {
        let statistics = spool.statistics
        text.single("petrel_spool_messages", .gauge, help: "Messages in the spool now.", spool.count)
        text.single(
            "petrel_spool_syncs_total", .counter, help: "fdatasync calls on spool segments since start.",
            statistics.syncs)
        text.single(
            "petrel_spool_group_commits_total", .counter,
            help: "Spool group commits (one write and one sync for every record queued meanwhile) since start.",
            statistics.batches)
        text.single(
            "petrel_spool_records_total", .counter,
            help: "Spool records written since start (messages, recipient states, removals, rewrites).",
            statistics.records)
        text.single(
            "petrel_spool_segments_deleted_total", .counter,
            help: "Spool segments emptied and removed by garbage collection since start.", statistics.deletedSegments)
        text.single(
            "petrel_spool_segments_recycled_total", .counter,
            help: "Spool segments started in the file of an emptied one since start.", statistics.recycledSegments)
    }

    private func renderQueue(_ manager: QueueManager, now: Date, into text: inout MetricsText) async {
        let counts = await manager.counts
        let domains = await manager.summary()
        let sites = await manager.siteSummary(domains: false)
        text.family(
            "petrel_queue_items", .gauge,
            help: "Delivery items (a message's recipients at one domain) waiting for their next attempt "
                + "(scheduled), ready for a connection (ready), or being sent (in_flight).")
        text.sample("petrel_queue_items", ["state": "scheduled"], counts.scheduled)
        text.sample("petrel_queue_items", ["state": "ready"], counts.ready)
        text.sample("petrel_queue_items", ["state": "in_flight"], counts.inFlight)
        text.family(
            "petrel_queue_domain_items", .gauge, help: "Delivery items waiting for their next attempt, by domain.")
        for domain in domains { text.sample("petrel_queue_domain_items", ["domain": domain.domain], domain.items) }
        text.family(
            "petrel_queue_domain_oldest_seconds", .gauge,
            help: "Age of the oldest message waiting for a domain, in seconds.")
        for domain in domains {
            guard let oldest = domain.oldest else { continue }
            text.sample(
                "petrel_queue_domain_oldest_seconds", ["domain": domain.domain],
                max(0, now.timeIntervalSince(oldest).rounded()))
        }
        text.family(
            "petrel_queue_domain_suspended", .gauge,
            help: "1 for a domain with waiting mail that the operator suspended (petrel queue suspend).")
        for domain in domains where domain.suspended {
            text.sample("petrel_queue_domain_suspended", ["domain": domain.domain], 1)
        }
        text.family(
            "petrel_queue_site_items", .gauge,
            help: "Delivery items by MX site (the set of MX hosts shared by its domains) and state.")
        for site in sites {
            text.sample("petrel_queue_site_items", ["site": site.site, "state": "scheduled"], site.scheduled)
            text.sample("petrel_queue_site_items", ["site": site.site, "state": "ready"], site.ready)
        }
        text.family("petrel_queue_site_connections", .gauge, help: "Outbound SMTP connections open, by MX site.")
        for site in sites { text.sample("petrel_queue_site_connections", ["site": site.site], site.connections) }
        text.family(
            "petrel_queue_site_suspended_seconds", .gauge,
            help: "Seconds left of an automatic backoff (a traffic-shaping rule matched a reply), by MX site.")
        for site in sites {
            guard let until = site.suspendedUntil else { continue }
            text.sample(
                "petrel_queue_site_suspended_seconds", ["site": site.site],
                max(0, until.timeIntervalSince(now).rounded()))
        }
    }
}
