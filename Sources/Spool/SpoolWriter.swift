import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single writer: a dedicated thread that takes every request queued since its last round, writes
/// them with one `pwrite` and one `fdatasync` (group commit), updates the index, then completes every
/// waiter of the round. Between rounds it collects garbage (`SpoolWriter+GarbageCollection.swift`).
///
/// All stored properties but the `let`s are touched only by the writer thread.
final class SpoolWriter: @unchecked Sendable {
    struct ActiveSegment {
        var sequence: UInt32
        var fd: Int32
        var path: String
        var size: Int
        /// Every record header in it is salted with this (`RecordHeader.stamp`).
        var salt: UInt32
        /// When it was started (`DispatchTime` nanoseconds), for the rate at which it filled.
        var opened: UInt64 = DispatchTime.now().uptimeNanoseconds
    }

    /// Above this rate of spooled bytes, segments are not written full of zeros ahead: the group commits
    /// are large, their syncs dominated by the data, and the zeros' writes (as many bytes again) cost
    /// more than they save. Measured on this project's disk: 100 KB messages from 10 sessions (about
    /// 150 MB/s) had a p99 acceptance latency of 20 ms with zeroing against 6.5 ms without; 4 KB
    /// messages (about 10 MB/s) 0.9 ms at the median with it against 1.3 ms without.
    static let preallocationRateLimit = 32.0 * 1024 * 1024
    /// Bytes per second at which the last full segment filled.
    var lastFillRate: Double?

    /// What a written record does to the index once it is durable.
    enum Effect {
        case insert(QueueID, IndexEntry, completion: @Sendable (Result<QueueID, Error>) -> Void)
        case state(QueueID, index: Int, state: RecipientState, completion: @Sendable (Result<Void, Error>) -> Void)
        case removal(QueueID, completion: @Sendable (Result<Void, Error>) -> Void)
        /// Garbage collection moved a message; applied only if it still lives at `from`.
        case relocate(QueueID, from: (segment: UInt32, offset: UInt64), to: IndexEntry)
    }

    let paths: SpoolPaths
    let options: SpoolOptions
    let logger: Logger
    let index: NIOLockedValueBox<SpoolIndex>
    let files: SegmentFiles
    /// Zero-filled segments written ahead (`SpoolOptions.preallocate`).
    let preparer: SegmentPreparer?
    let queue = WriteQueue()
    private let lockFD: Int32

    var active: ActiveSegment?
    var nextSequence: UInt32
    /// Emptied segment files kept for reuse (`SpoolWriter+Segments.swift`), at most `spareLimit`.
    var spares: [String] = []
    var batch: [UInt8] = []
    private var effects: [Effect] = []
    /// Removals written and waiting for a sync (`flush`), with when the first of them was written.
    private var unsynced: [Effect] = []
    private var unsyncedSince: UInt64 = 0
    /// Removals queued since the last sync (written or not): a second removal of one is refused.
    private var removedInBatch: Set<QueueID> = []
    /// `options.removalSyncDelay` in nanoseconds.
    private let removalSyncDelay: UInt64
    var compaction: Compaction?
    var garbageCollectionStopped = false
    /// Requests in the previous group commit and how long its sync took, to size the gather pause.
    private var lastBatchSize = 0
    private var batchBeforeLast = 0
    private var lastSyncNanoseconds = 0

    init(
        paths: SpoolPaths, options: SpoolOptions, logger: Logger, index: NIOLockedValueBox<SpoolIndex>,
        files: SegmentFiles, lockFD: Int32, nextSequence: UInt32
    ) {
        self.files = files
        self.paths = paths
        self.options = options
        self.logger = logger
        self.index = index
        self.lockFD = lockFD
        self.nextSequence = nextSequence
        let (seconds, attoseconds) = options.removalSyncDelay.components
        removalSyncDelay = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
        preparer =
            options.preallocate
            ? SegmentPreparer(directory: paths.segments, size: options.segmentSize, logger: logger) : nil
    }

    func start() {
        preparer?.start()
        let thread = Thread { [self] in self.run() }
        thread.name = "petrel-spool-writer"
        thread.start()
    }

    private func run() {
        collectGarbage()
        var running = true
        while running {
            var waitLimit: Int?
            if !unsynced.isEmpty {
                let waited = DispatchTime.now().uptimeNanoseconds - unsyncedSince
                waitLimit = Int(removalSyncDelay) - Int(min(waited, removalSyncDelay))
            }
            let requests = queue.take(
                wait: compaction == nil,
                waitLimit: waitLimit,
                gather: lastBatchSize + batchBeforeLast,
                gatherNanoseconds: options.fsync ? min(lastSyncNanoseconds / 4, 1_000_000) : 0
            )
            for request in requests {
                if case .close = request {
                    running = false
                } else {
                    handle(request)
                }
            }
            flush(mustSync: !running)
            if running { collectGarbage() }
        }
        if let active { Posix.closeFile(active.fd) }
        active = nil
        preparer?.stop()
        Posix.closeFile(lockFD)
        queue.markStopped()
    }

    private func handle(_ request: WriteRequest) {
        do {
            switch request {
            case .message(let id, let prefix, let body, let completion):
                let offset = try reserve(prefix.count + body.readableBytes)
                body.withUnsafeReadableBytes { appendRecord(prefix, body: $0) }
                let entry = IndexEntry(
                    envelope: Array(prefix[SpoolRecord.messageFixedPrefix...]),
                    recordOffset: UInt64(offset),
                    segment: active!.sequence,
                    payloadLength: UInt32(prefix.count - RecordHeader.size + body.readableBytes),
                    bodyLength: UInt32(body.readableBytes)
                )
                effects.append(.insert(id, entry, completion: completion))
            case .recipientState(let id, let recipient, let state, let completion):
                let count = index.withLockedValue { $0.recipientCount(id) }
                guard let count, !removedInBatch.contains(id) else { throw SpoolError.unknownMessage(id) }
                guard recipient >= 0, recipient < count else {
                    throw SpoolError.recipientOutOfRange(id, index: recipient, count: count)
                }
                let record = SpoolRecord.recipientState(id: id, index: recipient, state: state)
                _ = try reserve(record.count)
                appendRecord(record)
                effects.append(.state(id, index: recipient, state: state, completion: completion))
            case .removal(let id, let completion):
                let known = index.withLockedValue { $0.entries[id] != nil }
                guard known, removedInBatch.insert(id).inserted else { throw SpoolError.unknownMessage(id) }
                let record = SpoolRecord.removal(id: id)
                _ = try reserve(record.count)
                appendRecord(record)
                effects.append(.removal(id, completion: completion))
            case .close:
                break
            }
        } catch {
            request.fail(error)
        }
    }

    /// Writes the batch, syncs it, applies its effects to the index and completes its waiters.
    /// On failure every waiter of the batch gets the error and the segment is sealed, so that the
    /// next batch starts on a fresh file after the possibly partial write.
    ///
    /// A batch of removals alone is written but not synced (unless `mustSync`): it waits, for up to
    /// `SpoolOptions.removalSyncDelay`, for the next batch that needs a sync, and shares it. A delivered message's
    /// removal then costs no sync of its own, which in a relay is every other sync; nothing waits on
    /// it but the queue's bookkeeping. Its effects (out of the index, the segment's live count) and
    /// its completion come with the sync, as for every record, so garbage collection still deletes a
    /// segment only after the removals that emptied it are durable.
    func flush(mustSync: Bool = false) {
        guard !effects.isEmpty || !batch.isEmpty || !unsynced.isEmpty else { return }
        let done = effects
        let written = batch.count
        effects = []
        defer {
            if batch.capacity > 16 << 20 { batch = [] } else { batch.removeAll(keepingCapacity: true) }
        }
        let now = DispatchTime.now().uptimeNanoseconds
        let removalsOnly = !done.isEmpty && done.allSatisfy { if case .removal = $0 { true } else { false } }
        let deferSync =
            options.fsync && !mustSync && removalsOnly
            && (unsynced.isEmpty || now - unsyncedSince < removalSyncDelay)
        var synced = false
        do {
            if var segment = active {
                if written > 0 {
                    try batch.withUnsafeBytes {
                        try Posix.writeAll(segment.fd, $0, at: segment.size, path: segment.path)
                    }
                    segment.size += written
                    active = segment
                }
                if options.fsync && !deferSync && (written > 0 || !unsynced.isEmpty) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    try Posix.syncData(segment.fd, path: segment.path)
                    lastSyncNanoseconds = Int(DispatchTime.now().uptimeNanoseconds - start)
                    synced = true
                }
            }
        } catch {
            logger.error("spool: write failed, batch rejected", metadata: ["error": "\(error)"])
            seal()
            let failed = unsynced + done
            unsynced = []
            removedInBatch.removeAll(keepingCapacity: true)
            for effect in failed { Self.fail(effect, error) }
            return
        }
        if deferSync {
            if unsynced.isEmpty { unsyncedSince = now }
            unsynced += done
            return
        }
        let settled = unsynced + done
        unsynced = []
        removedInBatch.removeAll(keepingCapacity: true)
        batchBeforeLast = lastBatchSize
        lastBatchSize = settled.count
        index.withLockedValue { index in
            if synced { index.statistics.syncs += 1 }
            index.statistics.batches += 1
            index.statistics.records += settled.count
            if let active { index.segments[active.sequence, default: SegmentUsage()].fileSize = active.size }
            for effect in settled { Self.apply(effect, to: &index) }
        }
        for effect in settled { Self.complete(effect) }
    }

    private static func apply(_ effect: Effect, to index: inout SpoolIndex) {
        switch effect {
        case .insert(let id, let entry, _):
            index.insert(id, entry)
        case .state(let id, let recipient, let state, _):
            index.setState(id, recipient: recipient, to: state.rawValue)
        case .removal(let id, _):
            index.remove(id)
        case .relocate(let id, let from, let entry):
            guard let current = index.entries[id], current.segment == from.segment, current.recordOffset == from.offset
            else { return }
            index.insert(id, entry)
            index.statistics.rewrittenMessages += 1
        }
    }

    private static func complete(_ effect: Effect) {
        switch effect {
        case .insert(let id, _, let completion):
            completion(.success(id))
        case .state(_, _, _, let completion), .removal(_, let completion):
            completion(.success(()))
        case .relocate:
            break
        }
    }

    private static func fail(_ effect: Effect, _ error: Error) {
        switch effect {
        case .insert(_, _, let completion):
            completion(.failure(error))
        case .state(_, _, _, let completion), .removal(_, let completion):
            completion(.failure(error))
        case .relocate:
            break
        }
    }

    /// Appends a record built in version 1 form to the batch, stamped with the active segment's salt.
    func appendRecord(_ prefix: [UInt8], body: UnsafeRawBufferPointer? = nil) {
        let start = batch.count
        batch.append(contentsOf: prefix)
        if let body { batch.append(contentsOf: body) }
        RecordHeader.stamp(&batch, at: start, salt: active!.salt)
    }

    /// Appends an already encoded record to the batch (garbage collection's rewrites).
    func appendToBatch(_ prefix: [UInt8], body: UnsafeRawBufferPointer, effect: Effect) {
        appendRecord(prefix, body: body)
        effects.append(effect)
    }
}
