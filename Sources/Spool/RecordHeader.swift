/// The fixed 20-byte header in front of every record in a segment file.
///
///     0  u32 magic 89 50 53 50 ("\x89PSP": high bit set, so it never appears in 7-bit text)
///     4  u8  type (`RecordType`)
///     5  u8  format version (1)
///     6  u16 reserved, 0
///     8  u32 payload length
///     12 u32 CRC-32C of the payload
///     16 u32 CRC-32C of bytes 0..<16
///
/// The header checksum makes the length trustworthy: a record whose payload fails its checksum can be
/// skipped exactly, and a damaged header is recognised as such, after which the scanner resynchronises
/// on the next valid header. Integers are little-endian.
struct RecordHeader: Equatable {
    static let size = 20
    static let magic: [UInt8] = [0x89, 0x50, 0x53, 0x50]
    static let version: UInt8 = 1
    /// A larger length in a header whose checksum matches is still treated as damage.
    static let maximumPayload = 1 << 30

    var type: UInt8
    var payloadLength: Int
    var payloadChecksum: UInt32

    var recordLength: Int { Self.size + payloadLength }

    func write(into bytes: inout [UInt8], at offset: Int) {
        var writer = BinaryWriter(capacity: Self.size)
        writer.bytes.append(contentsOf: Self.magic)
        writer.write(type)
        writer.write(Self.version)
        writer.write(UInt16(0))
        writer.write(UInt32(payloadLength))
        writer.write(payloadChecksum)
        writer.write(CRC32C.checksum(writer.bytes))
        bytes.replaceSubrange(offset..<offset + Self.size, with: writer.bytes)
    }

    /// The header at `offset`, or nil unless the magic, the header checksum, the version and the
    /// length are all valid. Needs `offset + size <= bytes.count`.
    static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> RecordHeader? {
        guard offset >= 0, offset + size <= bytes.count,
            bytes[offset] == magic[0], bytes[offset + 1] == magic[1],
            bytes[offset + 2] == magic[2], bytes[offset + 3] == magic[3]
        else { return nil }
        let header = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])
        let stored = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: header[0..<16])) == stored,
            header[5] == version
        else { return nil }
        let length = Int(UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        guard length <= maximumPayload else { return nil }
        let checksum = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        return RecordHeader(type: header[4], payloadLength: length, payloadChecksum: checksum)
    }
}

/// What a record says.
enum RecordType: UInt8 {
    /// Payload: queue id (10), u32 envelope length, envelope, body (the rest).
    case message = 1
    /// Payload: queue id (10), u32 recipient index, u8 state.
    case recipientState = 2
    /// Payload: queue id (10).
    case removal = 3
}
