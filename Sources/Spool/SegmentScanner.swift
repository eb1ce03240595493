/// Splits the bytes of one segment file into records, torn tails and damaged ranges.
///
/// Rules, in order, at each offset:
/// - fewer than `RecordHeader.size` bytes left, or a valid header whose payload runs past the end:
///   a torn tail (a write cut off by a crash, so never acknowledged);
/// - a valid header and a payload that matches its checksum: a record;
/// - a valid header and a payload that does not: a damaged record, skipped by its (trusted) length;
/// - no valid header: damage up to the next valid header, found by searching for the magic; if none
///   follows, up to the end of the file (or a torn tail, if every byte left is zero: space the file
///   system allocated but the crash never filled).
enum SegmentScanner {
    enum Event {
        case record(type: UInt8, offset: Int, header: RecordHeader)
        case damaged(Range<Int>, reason: String)
        case torn(Range<Int>)
    }

    static func scan(_ bytes: UnsafeRawBufferPointer, _ handle: (Event) throws -> Void) rethrows {
        var offset = 0
        let end = bytes.count
        while offset < end {
            if end - offset < RecordHeader.size {
                try handle(.torn(offset..<end))
                return
            }
            if let header = RecordHeader.parse(bytes, at: offset) {
                let recordEnd = offset + header.recordLength
                if recordEnd > end {
                    try handle(.torn(offset..<end))
                    return
                }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[offset + RecordHeader.size..<recordEnd])
                if CRC32C.checksum(payload) == header.payloadChecksum {
                    try handle(.record(type: header.type, offset: offset, header: header))
                } else {
                    try handle(.damaged(offset..<recordEnd, reason: "payload checksum mismatch"))
                }
                offset = recordEnd
                continue
            }
            if let next = nextHeader(bytes, after: offset) {
                try handle(.damaged(offset..<next, reason: "invalid record header"))
                offset = next
            } else if isZero(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) {
                try handle(.torn(offset..<end))
                return
            } else {
                try handle(.damaged(offset..<end, reason: "invalid record header, no valid record follows"))
                return
            }
        }
    }

    /// The offset of the next valid header after `offset`.
    static func nextHeader(_ bytes: UnsafeRawBufferPointer, after offset: Int) -> Int? {
        var candidate = offset + 1
        let first = RecordHeader.magic[0]
        while candidate + RecordHeader.size <= bytes.count {
            if bytes[candidate] == first, RecordHeader.parse(bytes, at: candidate) != nil {
                return candidate
            }
            candidate += 1
        }
        return nil
    }

    private static func isZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.allSatisfy { $0 == 0 }
    }
}
