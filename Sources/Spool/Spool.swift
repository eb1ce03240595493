import Logging
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The durable store of accepted messages: append-only segment files written by one thread with group
/// commit, an in-memory index of envelopes, recovery on open, garbage collection of old segments.
///
/// A message is acknowledged (its completion runs) only after its record has been written and
/// `fdatasync`ed; every message queued while one sync is under way shares the next one.
public final class Spool: Sendable {
    let paths: SpoolPaths
    let index: NIOLockedValueBox<SpoolIndex>
    let writer: SpoolWriter
    let files: SegmentFiles
    let recent: RecentBodies

    private init(
        paths: SpoolPaths, index: NIOLockedValueBox<SpoolIndex>, writer: SpoolWriter, files: SegmentFiles,
        recent: RecentBodies
    ) {
        self.paths = paths
        self.index = index
        self.writer = writer
        self.files = files
        self.recent = recent
    }

    deinit {
        writer.queue.close {}
    }

    /// Opens (creating) the spool directory, recovers it, starts the writer thread.
    ///
    /// Takes an exclusive `flock` on `<directory>/lock` (released by the kernel if the process dies):
    /// a second writer on the same directory fails with `SpoolError.locked`.
    public static func open(
        directory: String,
        options: SpoolOptions = .init(),
        logger: Logger
    ) throws -> (Spool, RecoveryReport) {
        let paths = SpoolPaths(root: directory)
        try createDirectories(paths, sync: options.fsync)
        let lockFD = try Posix.openFile(paths.lock, O_RDWR | O_CREAT)
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            Posix.closeFile(lockFD)
            if code == EWOULDBLOCK { throw SpoolError.locked(path: paths.lock) }
            throw SpoolError.io(operation: "flock", path: paths.lock, errno: code)
        }
        SegmentPreparer.removeLeftovers(in: paths.segments)
        let outcome: SpoolRecovery.Outcome
        do {
            outcome = try SpoolRecovery(paths: paths, repair: true, logger: logger).run()
        } catch {
            Posix.closeFile(lockFD)
            throw error
        }
        let index = NIOLockedValueBox(outcome.index)
        let files = SegmentFiles()
        let writer = SpoolWriter(
            paths: paths,
            options: options,
            logger: logger,
            index: index,
            files: files,
            lockFD: lockFD,
            nextSequence: outcome.lastSequence + 1
        )
        writer.start()
        let report = outcome.report
        logger.info(
            "spool: recovered",
            metadata: [
                "directory": "\(paths.root)", "messages": "\(report.messages)", "segments": "\(report.segments)",
                "torn": "\(report.tornRecords)", "quarantined": "\(report.quarantined)",
            ]
        )
        let recent = RecentBodies(limit: options.recentBodyBytes)
        return (Spool(paths: paths, index: index, writer: writer, files: files, recent: recent), report)
    }

    private static func createDirectories(_ paths: SpoolPaths, sync: Bool) throws {
        let created = try Posix.makeDirectory(paths.root)
        let segments = try Posix.makeDirectory(paths.segments)
        let quarantine = try Posix.makeDirectory(paths.quarantine)
        guard sync else { return }
        if segments || quarantine { try Posix.syncDirectory(paths.root) }
        if created {
            let parent = paths.root.contains("/") ? String(paths.root[..<paths.root.lastIndex(of: "/")!]) : "."
            try Posix.syncDirectory(parent.isEmpty ? "/" : parent)
        }
    }

    /// Durably stores one message. `completion` runs on the writer thread once the record is on stable
    /// storage (after fdatasync), or with the error — on the caller's thread at once if the spool is
    /// closed. Cheap to call from an event loop: it encodes and checksums, then queues; no disk I/O.
    /// The completion must not block: it holds up the writer thread.
    public func append(
        id: QueueID = QueueID.generate(),
        envelope: SpoolEnvelope,
        body: ByteBuffer,
        completion: @escaping @Sendable (Result<QueueID, Error>) -> Void
    ) {
        let prefix = SpoolRecord.messagePrefix(id: id, envelope: envelope.encodedBytes(), body: body)
        let recent = self.recent
        submit(
            .message(id, prefix: prefix, body: body) { result in
                if case .success = result { recent.insert(id, body) }
                completion(result)
            })
    }

    public func append(envelope: SpoolEnvelope, body: ByteBuffer) async throws -> QueueID {
        try await withCheckedThrowingContinuation { continuation in
            append(envelope: envelope, body: body) { continuation.resume(with: $0) }
        }
    }

    /// Durably records the delivery state of recipient `index` (its position in `envelope.recipients`).
    public func setRecipientState(_ id: QueueID, recipient index: Int, to state: RecipientState) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            submit(.recipientState(id, index: index, state: state) { continuation.resume(with: $0) })
        }
    }

    /// Durably removes a message; its segment is deleted once nothing in it is live.
    public func remove(_ id: QueueID) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            remove(id) { continuation.resume(with: $0) }
        }
    }

    /// The same without waiting: `completion` runs on the writer thread once the removal is on stable
    /// storage (and out of the index), or with the error. It must not block.
    public func remove(_ id: QueueID, completion: @escaping @Sendable (Result<Void, Error>) -> Void) {
        let recent = self.recent
        submit(
            .removal(id) { result in
                if case .success = result { recent.remove(id) }
                completion(result)
            })
    }

    private func submit(_ request: WriteRequest) {
        if !writer.queue.submit(request) {
            request.fail(SpoolError.closed)
        }
    }

    /// The message as the in-memory index has it, with current recipient states.
    public func message(_ id: QueueID) -> SpooledMessage? {
        guard let entry = index.withLockedValue({ $0.entries[id] }) else { return nil }
        return SpoolIndex.message(id, entry)
    }

    /// Every queued message, sorted by id (that is, by arrival).
    public func messages() -> [SpooledMessage] {
        let entries = index.withLockedValue { index in index.entries.map { ($0.key, $0.value) } }
        return SpoolIndex.messages(entries)
    }

    /// Visits every queued message in id order, decoding one envelope at a
    /// time (start-up with millions of messages must not hold them all).
    public func forEachMessage(_ body: (SpooledMessage) throws -> Void) rethrows {
        let ids = index.withLockedValue { index in index.entries.keys.sorted() }
        for id in ids {
            if let message = message(id) { try body(message) }
        }
    }

    public var count: Int {
        index.withLockedValue { $0.entries.count }
    }

    /// Counters of the writer since `open`.
    public var statistics: SpoolStatistics {
        index.withLockedValue { $0.statistics }
    }

    /// The body: as stored, if it was stored lately (`RecentBodies`); otherwise read from disk, checking the
    /// record's checksum.
    public func readBody(_ id: QueueID) throws -> ByteBuffer {
        for _ in 0..<3 {
            guard let entry = index.withLockedValue({ $0.entries[id] }) else { throw SpoolError.unknownMessage(id) }
            if let body = recent.body(id) { return body }
            do {
                return try entry.readBody(id: id, files: files, paths: paths)
            } catch SpoolError.io(_, _, let code) where code == ENOENT {
                continue  // garbage collection moved the message meanwhile; look it up again
            } catch SpoolError.corruptRecord(let path, let offset, let reason) {
                // Moved or removed meanwhile, and the emptied segment's file already reused: look it up again.
                let current = index.withLockedValue { $0.entries[id] }
                if current?.segment != entry.segment || current?.recordOffset != entry.recordOffset { continue }
                throw SpoolError.corruptRecord(path: path, offset: offset, reason: reason)
            }
        }
        throw SpoolError.unknownMessage(id)
    }

    /// Writes and syncs everything queued, stops the writer thread and releases the lock.
    /// Later calls fail with `SpoolError.closed`.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writer.queue.close { continuation.resume() }
        }
    }
}
