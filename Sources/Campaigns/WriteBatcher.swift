import Dispatch
import Foundation
import GRDB
import Storage

/// Group commit for SQLite: writes submitted while a transaction commits wait and go together into the
/// next one, each in a savepoint of its own (one failing rolls back only itself). A caller resumes once its
/// write is committed, so it may act on it as durable; many concurrent callers share one commit (and its
/// fsync) instead of one each. The automation engine advances dozens of runs at once through it.
final class WriteBatcher: @unchecked Sendable {
    // @unchecked: `pending` and `flushing` are only touched while holding `lock`.
    private struct Job {
        var work: @Sendable (Database) throws -> Void
        var continuation: CheckedContinuation<Void, Error>
    }

    private let database: PetrelDatabase
    private let lock = NSLock()
    private var pending: [Job] = []
    private var flushing = false
    private let queue = DispatchQueue(label: "petrel.write-batcher")

    init(database: PetrelDatabase) { self.database = database }

    /// Runs `work` in a write transaction shared with the other writes pending now; returns once committed.
    func write(_ work: @escaping @Sendable (Database) throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let start = lock.withLock {
                pending.append(Job(work: work, continuation: continuation))
                guard !flushing else { return false }
                flushing = true
                return true
            }
            if start { queue.async { self.flush() } }
        }
    }

    private func flush() {
        while true {
            let jobs = lock.withLock {
                let jobs = pending
                pending = []
                if jobs.isEmpty { flushing = false }
                return jobs
            }
            guard !jobs.isEmpty else { return }
            var results = [Result<Void, Error>](repeating: .success(()), count: jobs.count)
            do {
                try database.pool.write { db in
                    for (index, job) in jobs.enumerated() {
                        do {
                            try db.inSavepoint {
                                try job.work(db)
                                return .commit
                            }
                        } catch {
                            results[index] = .failure(error)
                        }
                    }
                }
            } catch {
                results = Array(repeating: .failure(error), count: jobs.count)
            }
            for (job, result) in zip(jobs, results) { job.continuation.resume(with: result) }
        }
    }
}
