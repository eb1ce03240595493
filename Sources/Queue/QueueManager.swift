import DequeModule
import Foundation
import Logging
import PetrelConfig
import Spool

/// The queue manager (Postfix's qmgr, KumoMTA's scheduler): scheduled
/// queues per (tenant, campaign, domain) hold recipients until their next
/// attempt; due ones are planned (MX lookup) into ready queues per site,
/// whose connections deliver under the site's shaping limits. Outcomes go
/// to the spool first, then to `events`.
public actor QueueManager {
    let spool: Spool
    let planner: any RoutePlanner
    let runner: any ConnectionRunner
    let shaping: ShapingConfig
    let retry: RetrySchedule
    let delayWarning: TimeInterval
    let clock: any QueueClock
    let events: any DeliveryEvents
    let egress: EgressPolicy
    let suppression: (any RecipientSuppression)?
    let logger: Logger
    /// Where planning tasks run (an event loop of the process, so that the manager's work does not wake
    /// a thread of the cooperative pool per message); nil for no preference.
    public nonisolated let taskExecutor: (any TaskExecutor)?
    /// Messages handed out today per source (UTC day), for warm-up caps.
    var sentToday: [String: Int] = [:]
    var today = 0

    var scheduled: [QueueKey: ScheduledQueue] = [:]
    var ready: [String: ReadyQueue] = [:]
    var suspendedDomains: Set<String>
    /// The MX site each domain was last planned to (`queue list --by-site`).
    var siteOfDomain: [String: String] = [:]
    /// Items taken off the scheduled queues and not yet back or final.
    var inFlight = 0
    /// Connections of a site waiting for more mail, with their wake-ups.
    var idleWorkers: [String: [IdleWorker]] = [:]
    /// Ends the idle waits that reached their deadline; runs while any connection waits.
    private var idleSweeper: Task<Void, Never>?
    /// How long an idle connection waits for more mail before QUIT.
    public var connectionIdleTime: Duration = .seconds(2)
    /// Shutting down: no new work is handed out.
    var draining = false
    /// Retry jitter and weighted source picks.
    var random = SeededRandom()
    private var wakeContinuation: CheckedContinuation<Void, Never>?
    /// Removals submitted to the spool and not yet durable.
    let pendingRemovals = PendingRemovals()
    /// The loop's wake-up for the next due item, kept while no earlier one is needed.
    private var timer: (deadline: Date, task: Task<Void, Never>)?
    /// Callers of `waitUntilIdle` (QueueManager+Idle.swift).
    var idleWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        spool: Spool, planner: any RoutePlanner, runner: any ConnectionRunner, shaping: ShapingConfig,
        retry: RetrySchedule, delayWarning: Duration = .seconds(4 * 3600), clock: any QueueClock,
        events: any DeliveryEvents, egress: EgressPolicy = EgressPolicy(), suspendedDomains: Set<String> = [],
        suppression: (any RecipientSuppression)? = nil, taskExecutor: (any TaskExecutor)? = nil, logger: Logger
    ) {
        self.taskExecutor = taskExecutor
        self.egress = egress
        self.suppression = suppression
        self.spool = spool
        self.planner = planner
        self.runner = runner
        self.shaping = shaping
        self.retry = retry
        self.delayWarning = delayWarning.seconds
        self.clock = clock
        self.events = events
        self.suspendedDomains = suspendedDomains
        self.logger = logger
    }

    // MARK: - The loop

    /// Runs until cancelled: takes due items, sleeps until the next is due
    /// or new mail arrives.
    public func run() async {
        while !Task.isCancelled {
            processDue()
            armTimer(nextDue() ?? clock.now().addingTimeInterval(3600))
            await withTaskCancellationHandler {
                await waitForSignal()
            } onCancel: {
                Task { await self.signal() }
            }
            pendingSignal = false
        }
        timer?.task.cancel()
        timer = nil
    }

    /// Makes sure the loop wakes by `deadline`. A timer already set for that time or earlier stays: waking
    /// early only runs the loop once more, and new mail (once per message) then costs no timer.
    private func armTimer(_ deadline: Date) {
        if let timer, timer.deadline <= deadline { return }
        timer?.task.cancel()
        timer = (
            deadline,
            Task { [clock] in
                try? await clock.sleep(until: deadline)
                guard !Task.isCancelled else { return }
                self.timerFired(deadline)
            }
        )
    }

    private func timerFired(_ deadline: Date) {
        if timer?.deadline == deadline { timer = nil }
        signal()
    }

    private var pendingSignal = false

    private func waitForSignal() async {
        if pendingSignal {
            pendingSignal = false
            return
        }
        await withCheckedContinuation { continuation in
            wakeContinuation?.resume()
            wakeContinuation = continuation
        }
    }

    /// Wakes the loop: new mail, a flush, a suspension that ends.
    func signal() {
        if let waiting = wakeContinuation {
            waiting.resume()
            wakeContinuation = nil
        } else {
            pendingSignal = true
        }
    }

    func nextDue() -> Date? {
        scheduled.filter { !suspendedDomains.contains($0.key.domain) }.values.compactMap(\.nextDue).min()
    }

    /// Moves every due item to planning; returns how many.
    @discardableResult
    public func processDue() -> Int {
        guard !draining else { return 0 }
        let now = clock.now()
        var count = 0
        for key in Array(scheduled.keys) where !suspendedDomains.contains(key.domain) {
            count += startPlanning(key, now: now)
        }
        return count
    }

    /// Takes the due items of one queue to planning (one MX lookup for all of them); returns how many.
    @discardableResult
    func startPlanning(_ key: QueueKey, now: Date) -> Int {
        guard let items = scheduled[key]?.popDue(now: now), !items.isEmpty else { return 0 }
        if scheduled[key]!.isEmpty { scheduled[key] = nil }
        inFlight += items.count
        let planner = self.planner
        Task(executorPreference: taskExecutor) {
            let plan = await planner.plan(domain: key.domain, tenant: key.tenant)
            await self.planned(items, key: key, plan: plan)
        }
        return items.count
    }

    func planned(_ items: [DeliveryItem], key: QueueKey, plan: Result<DeliveryPlan, PlanFailure>) async {
        let domain = key.domain
        let items = await withoutSuppressed(items)
        switch plan {
        case .failure(.permanent(let status, let text)):
            let outcome = RecipientOutcome(kind: .permanent, code: 0, status: status, text: text)
            for item in items {
                await finish(item, outcomes: Array(repeating: outcome, count: item.recipients.count), site: nil)
            }
        case .failure(.temporary(let status, let text)):
            let outcome = RecipientOutcome(kind: .temporary, code: 0, status: status, text: text)
            for item in items {
                await finish(item, outcomes: Array(repeating: outcome, count: item.recipients.count), site: nil)
            }
        case .success(let plan):
            siteOfDomain[domain] = plan.siteName
            let now = clock.now()
            var touched: Set<String> = []
            for item in items {
                guard let source = chooseSource(tenant: key.tenant, campaign: key.campaign, now: now) else {
                    // Every source of the pool reached its warm-up cap for today.
                    var later = item
                    later.due = Self.nextUTCDay(after: now)
                    inFlight -= 1
                    push(later, tenant: key.tenant, campaign: key.campaign)
                    continue
                }
                // A ready queue per (egress source, MX site).
                let site = source.name + "|" + plan.siteName
                if ready[site] == nil {
                    let resolved = shaping.resolve(domain: domain, mxHosts: plan.hosts.map(\.name))
                    ready[site] = ReadyQueue(site: site, plan: plan, shaping: resolved, now: now, source: source)
                }
                ready[site]!.items.append(item)
                touched.insert(site)
            }
            for site in touched { pump(site: site) }
            checkIdle()
        }
    }

    /// Settles the suppressed recipients of `items` (permanent failure, never attempted) and returns the
    /// items with the rest.
    func withoutSuppressed(_ items: [DeliveryItem]) async -> [DeliveryItem] {
        guard let suppression else { return items }
        var remaining: [DeliveryItem] = []
        for item in items {
            guard let message = spool.message(item.message) else {
                inFlight -= 1
                checkIdle()
                continue
            }
            var kept: [UInt16] = []
            var skipped: [UInt16] = []
            var outcomes: [RecipientOutcome] = []
            for index in item.recipients {
                let address = message.envelope.recipients[Int(index)].address
                if let reason = suppression.suppressionReason(for: address) {
                    skipped.append(index)
                    var outcome = RecipientOutcome(kind: .permanent, code: 550, status: "5.7.1", text: reason)
                    outcome.suppressed = true
                    outcomes.append(outcome)
                } else {
                    kept.append(index)
                }
            }
            guard !skipped.isEmpty else {
                remaining.append(item)
                continue
            }
            if !kept.isEmpty {
                var rest = item
                rest.recipients = kept
                remaining.append(rest)
                inFlight += 1  // `finish` below settles the skipped part as an item of its own.
            }
            var settled = item
            settled.recipients = skipped
            await finish(settled, outcomes: outcomes, site: nil, message: message)
        }
        return remaining
    }

    /// Opens connections for a site while it has work and room.
    func pump(site: String) {
        guard !draining, let queue = ready[site] else { return }
        let now = clock.now()
        // Warm connections waiting for this site take the new mail first.
        var waiting = idleWorkers[site] ?? []
        var woken = 0
        while woken < queue.items.count, !waiting.isEmpty, !queue.isSuspended(now: now) {
            waiting.removeFirst().continuation.resume(returning: true)
            woken += 1
        }
        idleWorkers[site] = waiting.isEmpty ? nil : waiting
        let unclaimed = queue.items.count - woken
        if queue.isSuspended(now: now) {
            // Hand the waiting items back until the suspension ends.
            let until = queue.suspendedUntil!
            for var item in queue.items {
                item.due = until
                inFlight -= 1
                push(item)
            }
            queue.items.removeAll()
            ready[site] = queue
            signal()
            return
        }
        var opened = 0
        while opened < unclaimed && queue.activeConnections < queue.connectionLimit(now: now) {
            if var bucket = queue.connectionBucket {
                let wait = bucket.take(now: now)
                queue.connectionBucket = bucket
                if wait != nil { break }
            }
            queue.activeConnections += 1
            queue.connectionsOpened += 1
            let lease = SiteLease(
                site: site, plan: queue.plan, shaping: queue.shaping, source: queue.source,
                connectionNumber: queue.connectionsOpened, manager: self)
            let runner = self.runner
            Task { await runner.run(lease) }
            opened += 1
        }
        ready[site] = queue
    }

    // MARK: - Connection workers

    func nextWork(site: String, sentOnConnection: Int) -> NextWork {
        guard !draining, let queue = ready[site] else { return .done }
        let now = clock.now()
        guard sentOnConnection < queue.shaping.maxMessagesPerConnection, !queue.isSuspended(now: now) else {
            return .done
        }
        guard !queue.items.isEmpty else { return .idle }
        if var bucket = queue.messageBucket {
            let wait = bucket.take(now: now)
            queue.messageBucket = bucket
            ready[site] = queue
            if let wait { return .wait(until: wait) }
        }
        while let item = queue.items.popFirst() {
            ready[site] = queue
            sentToday[queue.source.name, default: 0] += 1
            guard let message = spool.message(item.message) else {
                // Deleted or bounced by the operator meanwhile.
                inFlight -= 1
                continue
            }
            return .send(WorkItem(item: item, message: message))
        }
        ready[site] = queue
        return .done
    }

    func waitForWork(site: String) async -> Bool {
        guard !draining, ready[site] != nil else { return false }
        let deadline = ContinuousClock.now + connectionIdleTime
        return await withCheckedContinuation { continuation in
            idleWorkers[site, default: []].append(IdleWorker(deadline: deadline, continuation: continuation))
            if idleSweeper == nil { idleSweeper = Task { await self.sweepIdle() } }
            checkIdle()
        }
    }

    /// One task ends every idle wait in time, instead of a timer per wait (one per delivery at a fast
    /// sender). It wakes at most eight times per idle period, so a wait may last up to 1/8 longer.
    private func sweepIdle() async {
        while let earliest = idleWorkers.values.lazy.flatMap({ $0 }).map(\.deadline).min() {
            let slack = ContinuousClock.now + connectionIdleTime / 8
            try? await Task.sleep(until: max(earliest, slack), clock: .continuous)
            let now = ContinuousClock.now
            for (site, waiting) in idleWorkers where waiting.contains(where: { $0.deadline <= now }) {
                let kept = waiting.filter { $0.deadline > now }
                idleWorkers[site] = kept.isEmpty ? nil : kept
                for worker in waiting where worker.deadline <= now { worker.continuation.resume(returning: false) }
            }
        }
        idleSweeper = nil
    }

    /// Ends every idle wait (shutdown).
    func releaseIdleWorkers() {
        let all = idleWorkers.values.flatMap { $0 }
        idleWorkers.removeAll()
        for worker in all { worker.continuation.resume(returning: false) }
    }

    func connectionFinished(site: String) {
        guard let queue = ready[site] else { return }
        queue.activeConnections -= 1
        ready[site] = queue
        if queue.items.isEmpty && queue.activeConnections == 0 {
            ready[site] = nil
        } else {
            pump(site: site)
        }
        checkIdle()
    }

    func siteUnreachable(site: String, outcome: RecipientOutcome) async {
        guard let queue = ready[site] else { return }
        // Other connections may still get through; defer only when none is open.
        guard queue.activeConnections <= 1 else { return }
        let items = Array(queue.items)
        queue.items.removeAll()
        ready[site] = queue
        logger.info("site unreachable", metadata: ["site": "\(site)", "reason": "\(outcome.replyText)"])
        for item in items {
            await finish(item, outcomes: Array(repeating: outcome, count: item.recipients.count), site: nil)
        }
    }

    func report(_ work: WorkItem, outcomes: [RecipientOutcome], site: String) async {
        applyBackoff(outcomes, site: site)
        await finish(work.item, outcomes: outcomes, site: site, message: work.message)
    }

    /// `report`, then `nextWork`, in one visit to the manager.
    func report(_ work: WorkItem, outcomes: [RecipientOutcome], site: String, nextAfter sent: Int) async -> NextWork {
        await report(work, outcomes: outcomes, site: site)
        return nextWork(site: site, sentOnConnection: sent)
    }

    /// Provider rules: a reply that means "slow down" suspends or throttles the site.
    func applyBackoff(_ outcomes: [RecipientOutcome], site: String) {
        guard let queue = ready[site] else { return }
        let now = clock.now()
        for outcome in outcomes where outcome.kind != .delivered {
            guard let rule = queue.shaping.backoff.first(where: { $0.matches(outcome.replyText) }) else { continue }
            let until = now.addingTimeInterval(rule.duration.seconds)
            switch rule.action {
            case .suspend:
                queue.suspendedUntil = until
                logger.notice(
                    "backoff: site suspended",
                    metadata: ["site": "\(site)", "until": "\(until)", "reply": "\(outcome.replyText)"])
            case .throttle:
                queue.throttledUntil = until
                queue.resetBuckets(now: now, factor: 0.5)
                logger.notice(
                    "backoff: site throttled",
                    metadata: ["site": "\(site)", "until": "\(until)", "reply": "\(outcome.replyText)"])
            }
            break
        }
        ready[site] = queue
    }

    // MARK: - Egress

    /// A source of the tenant's pool, by weight, that is under its warm-up
    /// cap today; nil when all are capped.
    func chooseSource(tenant: String, campaign: String = "", now: Date) -> EgressSource? {
        let day = Int(now.timeIntervalSince1970 / 86_400)
        if day != today {
            today = day
            sentToday.removeAll()
        }
        for source in egress.pool(tenant: tenant, campaign: campaign).ordered(random: &random) {
            guard let start = source.warmupStart else { return source }
            let warmupDay = Int(now.timeIntervalSince(start) / 86_400) + 1
            guard let cap = shaping.warmupLimit(day: warmupDay) else { return source }
            if sentToday[source.name, default: 0] < cap { return source }
        }
        return nil
    }

    static func nextUTCDay(after date: Date) -> Date {
        Date(timeIntervalSince1970: (floor(date.timeIntervalSince1970 / 86_400) + 1) * 86_400)
    }
}
