import Logging

/// Rebuilds the index from the segment files, oldest first.
///
/// With `repair` (the writing `Spool`, holding the lock) it also copies every damaged byte range to
/// `quarantine/` and logs it, and copies a torn tail there before truncating the segment to its last
/// whole record, so the tail is reported once. Zeros that end a segment (written ahead of use) are
/// cut off without a copy. Without `repair` (`SpoolReader`) nothing is modified.
struct SpoolRecovery {
    let paths: SpoolPaths
    let repair: Bool
    let logger: Logger?

    struct Outcome {
        var index = SpoolIndex()
        var report = RecoveryReport()
        var lastSequence: UInt32 = 0
        /// A segment listed was gone when opened: garbage collection ran meanwhile (reader only).
        var segmentVanished = false
    }

    func run() throws -> Outcome {
        var outcome = Outcome()
        for sequence in try paths.listSegments() {
            outcome.lastSequence = max(outcome.lastSequence, sequence)
            guard let bytes = try Posix.readFile(paths.segment(sequence)) else {
                outcome.segmentVanished = true
                continue
            }
            outcome.report.segments += 1
            try recover(segment: sequence, bytes: bytes, into: &outcome)
        }
        outcome.report.messages = outcome.index.entries.count
        return outcome
    }

    private func recover(segment sequence: UInt32, bytes: [UInt8], into outcome: inout Outcome) throws {
        let path = paths.segment(sequence)
        var usableSize = bytes.count
        try bytes.withUnsafeBytes { raw in
            try SegmentScanner.scan(raw, sequence: sequence) { event in
                switch event {
                case .record(let type, let offset, let header):
                    let payload = offset + RecordHeader.size..<offset + header.recordLength
                    do {
                        let decoded = try SpoolRecord.decode(type: type, raw, payload: payload)
                        outcome.index.apply(decoded, bytes: raw, header: header, segment: sequence, offset: offset)
                    } catch let error as BinaryReader.Malformed {
                        outcome.report.quarantined += 1
                        try quarantine(
                            raw, offset..<offset + header.recordLength, segment: sequence, reason: error.reason)
                    }
                case .damaged(let range, let reason):
                    outcome.report.quarantined += 1
                    try quarantine(raw, range, segment: sequence, reason: reason)
                case .torn(let range):
                    outcome.report.tornRecords += 1
                    usableSize = range.lowerBound
                    try discardTornTail(raw, range, segment: sequence)
                case .unused(let range):
                    usableSize = min(usableSize, range.lowerBound)
                }
            }
        }
        outcome.index.segments[sequence, default: SegmentUsage()].fileSize = usableSize
        if repair && usableSize < bytes.count {
            try Posix.truncateFile(path, to: usableSize)
        }
    }

    private func quarantine(
        _ bytes: UnsafeRawBufferPointer,
        _ range: Range<Int>,
        segment: UInt32,
        reason: String
    ) throws {
        guard repair else { return }
        let target = paths.quarantine(segment: segment, offset: range.lowerBound, torn: false)
        try Posix.writeFile(target, UnsafeRawBufferPointer(rebasing: bytes[range]), directory: paths.quarantine)
        logger?.error(
            "spool: damaged record quarantined",
            metadata: [
                "file": "\(paths.segment(segment))", "offset": "\(range.lowerBound)", "length": "\(range.count)",
                "reason": "\(reason)", "quarantine": "\(target)",
            ]
        )
    }

    private func discardTornTail(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, segment: UInt32) throws {
        guard repair else { return }
        let target = paths.quarantine(segment: segment, offset: range.lowerBound, torn: true)
        try Posix.writeFile(target, UnsafeRawBufferPointer(rebasing: bytes[range]), directory: paths.quarantine)
        logger?.warning(
            "spool: torn record at the end of a segment discarded (cut off by a crash, never acknowledged)",
            metadata: [
                "file": "\(paths.segment(segment))", "offset": "\(range.lowerBound)", "length": "\(range.count)",
                "copy": "\(target)",
            ]
        )
    }
}
