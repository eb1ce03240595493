import NIOConcurrencyHelpers
import Queue
import Spool

/// Hands messages to the queue manager as the spool stores them. The spool's writer completes a whole
/// group commit at once; the ids it reports gather here and one task moves them all, instead of a task
/// (and a wake-up of a pool thread) per message.
final class StoredMessageFeed: Sendable {
    private let spool: Spool
    private let manager: QueueManager
    /// Ids not yet handed over, and whether a task is on its way to hand them over.
    private let pending = NIOLockedValueBox((ids: [QueueID](), scheduled: false))

    init(spool: Spool, manager: QueueManager) {
        self.spool = spool
        self.manager = manager
    }

    /// Called on the spool's writer thread: must not block.
    func stored(_ id: QueueID) {
        let start = pending.withLockedValue { pending -> Bool in
            pending.ids.append(id)
            guard !pending.scheduled else { return false }
            pending.scheduled = true
            return true
        }
        if start { Task(executorPreference: manager.taskExecutor) { await self.handOver() } }
    }

    private func handOver() async {
        while true {
            let ids = pending.withLockedValue { pending -> [QueueID] in
                let ids = pending.ids
                pending.ids.removeAll(keepingCapacity: true)
                if ids.isEmpty { pending.scheduled = false }
                return ids
            }
            guard !ids.isEmpty else { return }
            await manager.enqueue(contentsOf: ids.compactMap { spool.message($0) })
        }
    }
}
