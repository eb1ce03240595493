/// Reads what `BinaryWriter` wrote, throwing instead of trapping on short or malformed input.
struct BinaryReader {
    struct Malformed: Error {
        var reason: String
    }

    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    private mutating func advance(_ count: Int) throws -> Int {
        guard count >= 0, count <= remaining else { throw Malformed(reason: "truncated at \(offset)") }
        defer { offset += count }
        return offset
    }

    mutating func readUInt8() throws -> UInt8 {
        bytes[try advance(1)]
    }

    mutating func readUInt16() throws -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: try advance(2), as: UInt16.self))
    }

    mutating func readUInt32() throws -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: try advance(4), as: UInt32.self))
    }

    mutating func readUInt64() throws -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: try advance(8), as: UInt64.self))
    }

    mutating func readVarint() throws -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readUInt8()
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
            guard shift < 63 else { throw Malformed(reason: "varint too long at \(offset)") }
        }
        guard value <= UInt64(Int32.max) else { throw Malformed(reason: "length \(value) too large") }
        return Int(value)
    }

    mutating func readString() throws -> String {
        let count = try readVarint()
        let start = try advance(count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
    }

    mutating func readQueueID() throws -> QueueID {
        let high = try readUInt64()
        let low = try readUInt16()
        return QueueID(high: high, low: low)
    }

    /// The next `count` bytes as a range of `bytes`.
    mutating func skip(_ count: Int) throws -> Range<Int> {
        let start = try advance(count)
        return start..<start + count
    }
}
