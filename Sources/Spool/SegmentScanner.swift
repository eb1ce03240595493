/// Splits the bytes of one segment file into records, torn tails and damaged ranges.
///
/// Rules, in order, at each offset:
/// - every byte left is zero: unused space, the end of the records (a segment written full of zeros
///   ahead of use, or space the file system allocated but a crash never filled);
/// - fewer than `RecordHeader.size` bytes left, or a valid header whose payload runs past the end:
///   a torn tail (a write cut off by a crash, so never acknowledged);
/// - a valid header and a payload that matches its checksum: a record;
/// - a valid header and a payload that does not: a damaged record, skipped by its (trusted) length;
///   but a torn tail if only zeros follow it (the last write into zeroed space, cut off by a crash);
/// - no valid header: damage up to the next valid header, found by searching for the magic; if none
///   follows, up to the end of the file, or a torn tail up to the zeros that end the file.
///
/// A version 2 segment begins with its `SegmentStart`, which the scanner reads itself (it is not
/// reported) and whose salt every later header must carry. In a recycled file, what no valid header
/// follows is left over from the file's earlier life: unused space, not damage; and a record whose
/// payload fails its checksum with no valid header after it is a torn tail, as before zeros.
enum SegmentScanner {
    enum Event {
        case record(type: UInt8, offset: Int, header: RecordHeader)
        case damaged(Range<Int>, reason: String)
        case torn(Range<Int>)
        /// Zeros to the end of the file.
        case unused(Range<Int>)
    }

    /// Scans the bytes of segment `sequence`.
    static func scan(_ bytes: UnsafeRawBufferPointer, sequence: UInt32, _ handle: (Event) throws -> Void) rethrows {
        let end = bytes.count
        var offset = 0
        var check = RecordHeader.Check.unsalted
        var recycled = false
        switch SegmentStart.read(bytes, sequence: sequence) {
        case .start(let start):
            offset = SegmentStart.recordSize
            check = .salted(start.salt)
            recycled = start.recycled
        case .torn:
            try handle(.torn(0..<end))
            return
        case .damaged:
            if isZero(UnsafeRawBufferPointer(rebasing: bytes[SegmentStart.recordSize...])) {
                try handle(.torn(0..<SegmentStart.recordSize))
                try handle(.unused(SegmentStart.recordSize..<end))
            } else {
                try handle(.damaged(0..<end, reason: "segment start record damaged"))
            }
            return
        case .none:
            break
        }
        while offset < end {
            // A record never starts with a zero byte, so the test runs once, at the end of the records.
            if bytes[offset] == 0, isZero(UnsafeRawBufferPointer(rebasing: bytes[offset..<end])) {
                try handle(.unused(offset..<end))
                return
            }
            if end - offset < RecordHeader.size {
                try handle(.torn(offset..<end))
                return
            }
            if let header = RecordHeader.parse(bytes, at: offset, check: check) {
                let recordEnd = offset + header.recordLength
                if recordEnd > end {
                    try handle(.torn(offset..<end))
                    return
                }
                let payload = UnsafeRawBufferPointer(rebasing: bytes[offset + RecordHeader.size..<recordEnd])
                if CRC32C.checksum(payload) == header.payloadChecksum {
                    try handle(.record(type: header.type, offset: offset, header: header))
                } else if recordEnd < end,
                    isZero(UnsafeRawBufferPointer(rebasing: bytes[recordEnd..<end]))
                        || (recycled && nextHeader(bytes, after: recordEnd - 1, check: check) == nil)
                {
                    try handle(.torn(offset..<recordEnd))
                    try handle(.unused(recordEnd..<end))
                    return
                } else {
                    try handle(.damaged(offset..<recordEnd, reason: "payload checksum mismatch"))
                }
                offset = recordEnd
                continue
            }
            if let next = nextHeader(bytes, after: offset, check: check) {
                try handle(.damaged(offset..<next, reason: "invalid record header"))
                offset = next
                continue
            }
            if recycled {
                try handle(.unused(offset..<end))
                return
            }
            let written = endOfData(bytes, from: offset)
            if written < end {
                try handle(.torn(offset..<written))
                try handle(.unused(written..<end))
            } else {
                try handle(.damaged(offset..<end, reason: "invalid record header, no valid record follows"))
            }
            return
        }
    }

    /// The end of the bytes from `offset` on, without the zeros that end the file.
    private static func endOfData(_ bytes: UnsafeRawBufferPointer, from offset: Int) -> Int {
        var end = bytes.count
        while end > offset && bytes[end - 1] == 0 { end -= 1 }
        return end
    }

    /// The offset of the next valid header after `offset`.
    static func nextHeader(_ bytes: UnsafeRawBufferPointer, after offset: Int, check: RecordHeader.Check) -> Int? {
        var candidate = offset + 1
        let first = RecordHeader.magic[0]
        while candidate + RecordHeader.size <= bytes.count {
            if bytes[candidate] == first, RecordHeader.parse(bytes, at: candidate, check: check) != nil {
                return candidate
            }
            candidate += 1
        }
        return nil
    }

    static func isZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var words = bytes.count / 8
        var offset = 0
        while words > 0 {
            if bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != 0 { return false }
            offset += 8
            words -= 1
        }
        while offset < bytes.count {
            if bytes[offset] != 0 { return false }
            offset += 1
        }
        return true
    }
}
