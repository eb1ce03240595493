#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hand-off between any number of producers and the writer thread: a mutex, a condition variable
/// and the requests queued since the writer last looked.
final class WriteQueue: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var requests: [WriteRequest] = []
    private var closed = false
    private var stopped = false
    private var stopWaiters: [@Sendable () -> Void] = []
    /// Holds the writer back (tests only, to queue a known set of requests for one group commit).
    private var paused = false
    /// The writer sleeps until anything is queued.
    private var writerWaitsForAny = false
    /// The writer is gathering a group commit: it wants a wake-up once this many requests are queued
    /// (0: not gathering). Below that it looks again every 100 µs by itself, so a submission does not
    /// wake it only to go back to sleep.
    private var writerGathersUntil = 0

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    /// Queues `request`; false once `close` has been queued.
    func submit(_ request: WriteRequest) -> Bool {
        let (accepted, wake) = locked { () -> (Bool, Bool) in
            guard !closed else { return (false, false) }
            requests.append(request)
            return (true, writerWaitsForAny || (writerGathersUntil > 0 && requests.count >= writerGathersUntil))
        }
        if wake { pthread_cond_signal(condition) }
        return accepted
    }

    /// Queues the final close request; later submissions are refused. `completion` runs once the
    /// writer has stopped, at once if it already has.
    func close(completion: @escaping @Sendable () -> Void) {
        let runNow = locked { () -> Bool in
            if stopped { return true }
            stopWaiters.append(completion)
            if !closed {
                closed = true
                requests.append(.close(completion: nil))
            }
            return false
        }
        if runNow {
            completion()
        } else {
            pthread_cond_signal(condition)
        }
    }

    /// Everything queued so far; waits for at least one request if `wait`.
    ///
    /// Then, while fewer than `gather` requests are queued, keeps collecting for up to
    /// `gatherNanoseconds`, giving up early once no request has arrived for 100 µs. The requests
    /// still to come are usually the producers that the previous group commit just completed, about
    /// to submit again; without this pause batches alternate between those few and everyone else.
    /// With `waitLimit`, waits no longer than that many nanoseconds for the first request, and may
    /// return none.
    func take(wait: Bool, waitLimit: Int? = nil, gather: Int = 0, gatherNanoseconds: Int = 0) -> [WriteRequest] {
        locked {
            let waitEnd = waitLimit.map { Self.now() + $0 }
            while (wait && requests.isEmpty) || (paused && !closed) {
                writerWaitsForAny = true
                if let waitEnd, !paused {
                    if Self.now() >= waitEnd { break }
                    var deadline = Self.deadline(at: waitEnd)
                    pthread_cond_timedwait(condition, mutex, &deadline)
                } else {
                    pthread_cond_wait(condition, mutex)
                }
            }
            writerWaitsForAny = false
            if !requests.isEmpty, requests.count < gather, gatherNanoseconds > 0 {
                let end = Self.now() + gatherNanoseconds
                writerGathersUntil = gather
                defer { writerGathersUntil = 0 }
                while requests.count < gather, !closed {
                    let seen = requests.count
                    let sliceEnd = min(end, Self.now() + 100_000)
                    var deadline = Self.deadline(at: sliceEnd)
                    let result = pthread_cond_timedwait(condition, mutex, &deadline)
                    if Self.now() >= end || (result == ETIMEDOUT && requests.count == seen) { break }
                }
            }
            let taken = requests
            requests = []
            return taken
        }
    }

    /// A `now()` instant as the absolute time `pthread_cond_timedwait` takes.
    private static func deadline(at nanoseconds: Int) -> timespec {
        timespec(tv_sec: nanoseconds / 1_000_000_000, tv_nsec: nanoseconds % 1_000_000_000)
    }

    /// CLOCK_REALTIME in nanoseconds, the clock `pthread_cond_timedwait` uses.
    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int(time.tv_sec) * 1_000_000_000 + Int(time.tv_nsec)
    }

    var queuedCount: Int { locked { requests.count } }

    func setPaused(_ value: Bool) {
        locked { paused = value }
        pthread_cond_signal(condition)
    }

    /// Called by the writer as it exits.
    func markStopped() {
        let waiters = locked { () -> [@Sendable () -> Void] in
            stopped = true
            closed = true
            defer { stopWaiters = [] }
            return stopWaiters
        }
        for waiter in waiters { waiter() }
    }
}
