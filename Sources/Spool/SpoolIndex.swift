/// Where one message's current record lives, with its envelope in the compact binary form.
///
/// About 32 bytes inline plus the envelope array (typically 100–200 bytes for one recipient), so a
/// queue of millions of messages costs a few hundred bytes each; bodies stay on disk.
struct IndexEntry {
    var envelope: [UInt8]
    var recordOffset: UInt64
    var segment: UInt32
    var payloadLength: UInt32
    var bodyLength: UInt32

    var recordLength: Int { RecordHeader.size + Int(payloadLength) }
}

/// What garbage collection needs to know about one segment file.
struct SegmentUsage: Equatable {
    /// Messages whose current record is in this segment.
    var liveMessages = 0
    /// Bytes of those records.
    var liveBytes = 0
    var fileSize = 0
}

/// The in-memory index: every queued message and the usage of every segment.
struct SpoolIndex {
    var entries: [QueueID: IndexEntry] = [:]
    var segments: [UInt32: SegmentUsage] = [:]
    var statistics = SpoolStatistics()

    /// Adds a message or replaces its older copy (a rewrite by garbage collection).
    mutating func insert(_ id: QueueID, _ entry: IndexEntry) {
        if let old = entries.updateValue(entry, forKey: id) {
            release(old)
        }
        segments[entry.segment, default: SegmentUsage()].liveMessages += 1
        segments[entry.segment, default: SegmentUsage()].liveBytes += entry.recordLength
    }

    @discardableResult
    mutating func remove(_ id: QueueID) -> Bool {
        guard let old = entries.removeValue(forKey: id) else { return false }
        release(old)
        return true
    }

    /// Patches the state byte of one recipient; false if the message or the recipient is unknown.
    @discardableResult
    mutating func setState(_ id: QueueID, recipient index: Int, to state: UInt8) -> Bool {
        guard RecipientState(rawValue: state) != nil, let count = recipientCount(id), index >= 0, index < count
        else { return false }
        entries[id]!.envelope[SpoolEnvelope.stateOffset + index] = state
        return true
    }

    func recipientCount(_ id: QueueID) -> Int? {
        entries[id].flatMap { SpoolEnvelope.recipientCount(encoded: $0.envelope) }
    }

    /// Applies one record read back from segment `segment`.
    mutating func apply(
        _ payload: SpoolRecord.Payload, bytes: UnsafeRawBufferPointer, header: RecordHeader, segment: UInt32,
        offset: Int
    ) {
        switch payload {
        case .message(let id, let envelope, let body):
            let envelopeBytes = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[envelope]))
            let entry = IndexEntry(
                envelope: envelopeBytes,
                recordOffset: UInt64(offset),
                segment: segment,
                payloadLength: UInt32(header.payloadLength),
                bodyLength: UInt32(body.count)
            )
            insert(id, entry)
        case .recipientState(let id, let index, let state):
            setState(id, recipient: index, to: state)
        case .removal(let id):
            remove(id)
        }
    }

    private mutating func release(_ entry: IndexEntry) {
        segments[entry.segment]?.liveMessages -= 1
        segments[entry.segment]?.liveBytes -= entry.recordLength
    }

    static func message(_ id: QueueID, _ entry: IndexEntry) -> SpooledMessage? {
        guard let envelope = try? SpoolEnvelope(decoding: entry.envelope) else { return nil }
        return SpooledMessage(id: id, envelope: envelope, size: Int(entry.bodyLength))
    }

    static func messages(_ entries: [(QueueID, IndexEntry)]) -> [SpooledMessage] {
        entries.sorted { $0.0 < $1.0 }.compactMap { message($0.0, $0.1) }
    }
}
