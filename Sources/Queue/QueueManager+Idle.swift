import NIOConcurrencyHelpers

// MARK: - Waiting (tests, shutdown)

extension QueueManager {
    /// Returns once nothing is planned or being delivered and nothing is due.
    public func waitUntilIdle() async {
        // Watch before looking: a removal that ends after the look then wakes the waiter (its check runs
        // on the manager, so after the waiter is in the list).
        pendingRemovals.watch()
        if isIdle { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    var isIdle: Bool {
        inFlight == 0 && pendingRemovals.count == 0
            && ready.allSatisfy { site, queue in queue.activeConnections == (idleWorkers[site]?.count ?? 0) }
            && (nextDue().map { $0 > clock.now() } ?? true)
    }

    func checkIdle() {
        guard !idleWaiters.isEmpty, isIdle else { return }
        let waiters = idleWaiters
        idleWaiters.removeAll()
        pendingRemovals.unwatch()
        for waiter in waiters { waiter.resume() }
    }
}

/// A connection waiting for more mail to its site, until `deadline`.
struct IdleWorker {
    let deadline: ContinuousClock.Instant
    let continuation: CheckedContinuation<Bool, Never>
}

/// Counts removals in flight to the spool, from the manager and the spool's writer thread; says when
/// the last one ends while somebody waits for the queue to be idle.
final class PendingRemovals: Sendable {
    private let state = NIOLockedValueBox((count: 0, watched: false))

    var count: Int { state.withLockedValue { $0.count } }

    func started() { state.withLockedValue { $0.count += 1 } }

    /// Somebody waits for idleness: each `finished` that reaches zero says so, until `unwatch`.
    func watch() { state.withLockedValue { $0.watched = true } }

    /// Nobody waits any more.
    func unwatch() { state.withLockedValue { $0.watched = false } }

    /// True when this was the last one and somebody watches.
    func finished() -> Bool {
        state.withLockedValue { state in
            state.count -= 1
            return state.count == 0 && state.watched
        }
    }
}
