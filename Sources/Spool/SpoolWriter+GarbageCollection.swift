/// Garbage collection, run by the writer thread between group commits.
///
/// Segments are deleted oldest first only. That keeps recovery sound without tracking which record
/// depends on which: a removal or state record always lies in the same or a later segment than the
/// message it refers to, so deleting the oldest segment once none of its messages is live can never
/// resurrect a message or roll back a recipient state. Each deletion is made durable (fsync of the
/// directory) before the next one. A deleted segment's file may be kept for reuse (`retire`).
///
/// When the oldest segment still holds live messages but more than half of the bytes on disk are dead
/// (and more than two segments' worth), its live messages are rewritten — with their current recipient
/// states — into the active segment, a few MB per round so that waiters are not held up, after which
/// it is deleted. A crash between the rewrite and the deletion leaves two copies; recovery keeps the
/// later one.
extension SpoolWriter {
    struct Compaction {
        let sequence: UInt32
        let bytes: [UInt8]
        /// The message records in `bytes`.
        let records: [(offset: Int, header: RecordHeader)]
        var next = 0
    }

    /// Bytes of live messages rewritten per round.
    static let compactionStep = 4 << 20

    func collectGarbage() {
        while !garbageCollectionStopped {
            let activeSequence = active?.sequence
            let candidate = index.withLockedValue { index -> (UInt32, SegmentUsage, dead: Int, live: Int)? in
                guard let oldest = index.segments.keys.filter({ $0 != activeSequence }).min() else { return nil }
                var dead = 0
                var live = 0
                for (sequence, usage) in index.segments where sequence != activeSequence {
                    dead += max(0, usage.fileSize - usage.liveBytes)
                    live += usage.liveBytes
                }
                return (oldest, index.segments[oldest]!, dead, live)
            }
            guard let (sequence, usage, dead, live) = candidate else { return }
            if usage.liveMessages <= 0 {
                compaction = nil
                guard delete(sequence, fileSize: usage.fileSize) else { return }
                continue
            }
            if compaction?.sequence != sequence {
                compaction = nil
                guard dead > live, dead > 2 * options.segmentSize else { return }
                guard startCompaction(sequence) else { return }
            }
            compactStep()
            return
        }
    }

    private func delete(_ sequence: UInt32, fileSize: Int) -> Bool {
        let path = paths.segment(sequence)
        do {
            try retire(sequence, fileSize: fileSize)
        } catch {
            logger.error("spool: cannot delete segment, garbage collection stopped", metadata: ["error": "\(error)"])
            garbageCollectionStopped = true
            return false
        }
        index.withLockedValue { index in
            index.segments[sequence] = nil
            index.statistics.deletedSegments += 1
        }
        logger.debug("spool: deleted segment", metadata: ["file": "\(path)"])
        return true
    }

    private func startCompaction(_ sequence: UInt32) -> Bool {
        let path = paths.segment(sequence)
        do {
            guard let bytes = try Posix.readFile(path) else {
                throw SpoolError.io(operation: "read", path: path, errno: 2)
            }
            var records: [(offset: Int, header: RecordHeader)] = []
            bytes.withUnsafeBytes { raw in
                SegmentScanner.scan(raw, sequence: sequence) { event in
                    if case .record(let type, let offset, let header) = event, type == RecordType.message.rawValue {
                        records.append((offset, header))
                    }
                }
            }
            compaction = Compaction(sequence: sequence, bytes: bytes, records: records)
            logger.info("spool: rewriting live messages of old segment", metadata: ["file": "\(path)"])
            return true
        } catch {
            logger.error("spool: cannot read segment, garbage collection stopped", metadata: ["error": "\(error)"])
            garbageCollectionStopped = true
            return false
        }
    }

    /// Rewrites the next few MB of live messages of the segment being compacted.
    func compactStep() {
        guard var work = compaction else { return }
        var budget = Self.compactionStep
        work.bytes.withUnsafeBytes { raw in
            while work.next < work.records.count, budget > 0 {
                let (offset, header) = work.records[work.next]
                work.next += 1
                guard
                    case .message(let id, _, let body)? = try? SpoolRecord.decode(
                        type: header.type,
                        raw,
                        payload: offset + RecordHeader.size..<offset + header.recordLength
                    ),
                    let current = index.withLockedValue({ $0.entries[id] }),
                    current.segment == work.sequence, current.recordOffset == UInt64(offset)
                else { continue }
                let bodyBytes = UnsafeRawBufferPointer(rebasing: raw[body])
                let prefix = SpoolRecord.messagePrefix(id: id, envelope: current.envelope, body: bodyBytes)
                let length = prefix.count + bodyBytes.count
                guard let newOffset = try? reserve(length), let target = active else { continue }
                let entry = IndexEntry(
                    envelope: current.envelope,
                    recordOffset: UInt64(newOffset),
                    segment: target.sequence,
                    payloadLength: UInt32(length - RecordHeader.size),
                    bodyLength: UInt32(bodyBytes.count)
                )
                appendToBatch(
                    prefix, body: bodyBytes,
                    effect: .relocate(id, from: (work.sequence, current.recordOffset), to: entry))
                budget -= length
            }
        }
        flush()
        if work.next < work.records.count {
            compaction = work
            return
        }
        compaction = nil
        let left = index.withLockedValue { $0.segments[work.sequence]?.liveMessages ?? 0 }
        if left > 0 {
            logger.error(
                "spool: live messages left after rewriting a segment, garbage collection stopped",
                metadata: ["file": "\(paths.segment(work.sequence))", "live": "\(left)"]
            )
            garbageCollectionStopped = true
        }
    }
}
