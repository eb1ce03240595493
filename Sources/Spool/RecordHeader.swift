/// The fixed 20-byte header in front of every record in a segment file.
///
///     0  u32 magic 89 50 53 50 ("\x89PSP": high bit set, so it never appears in 7-bit text)
///     4  u8  type (`RecordType`)
///     5  u8  format version (1 or 2)
///     6  u16 reserved, 0
///     8  u32 payload length
///     12 u32 CRC-32C of the payload
///     16 u32 CRC-32C of bytes 0..<16; in version 2 continuing from the segment's salt
///
/// The header checksum makes the length trustworthy: a record whose payload fails its checksum can be
/// skipped exactly, and a damaged header is recognised as such, after which the scanner resynchronises
/// on the next valid header. Integers are little-endian.
///
/// Version 2 salts the header checksum with a random number chosen per segment file (`SegmentStart`),
/// so a segment file can be reused: the records a recycled file still holds from its earlier life fail
/// the new salt's check and read as unused space, and no record inside a message body, written by
/// whoever sent it, can pass for one. Records are built in version 1 form (`write`) and the writer
/// stamps them (`stamp`) as it appends them to a segment. Version 1 segments, without salt, are
/// still read.
struct RecordHeader: Equatable {
    static let size = 20
    static let magic: [UInt8] = [0x89, 0x50, 0x53, 0x50]
    static let version: UInt8 = 1
    static let saltedVersion: UInt8 = 2

    /// How `parse` checks the header checksum.
    enum Check: Equatable {
        /// Version 1.
        case unsalted
        /// Version 2, salted with this.
        case salted(UInt32)
        /// Either version, without checking the header checksum (a read through the index, whose
        /// length it must match, followed by the payload checksum).
        case payloadOnly
    }
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

    /// Turns the version 1 header at `offset` into version 2 salted with `salt`.
    static func stamp(_ bytes: inout [UInt8], at offset: Int, salt: UInt32) {
        bytes[offset + 5] = saltedVersion
        let checksum = bytes.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + 16]), continuing: salt)
        }
        withUnsafeBytes(of: checksum.littleEndian) { bytes.replaceSubrange(offset + 16..<offset + size, with: $0) }
    }

    /// The header at `offset`, or nil unless the magic, the header checksum (as `check` says), the
    /// version and the length are all valid. Needs `offset + size <= bytes.count`.
    static func parse(_ bytes: UnsafeRawBufferPointer, at offset: Int, check: Check = .unsalted) -> RecordHeader? {
        guard offset >= 0, offset + size <= bytes.count,
            bytes[offset] == magic[0], bytes[offset + 1] == magic[1],
            bytes[offset + 2] == magic[2], bytes[offset + 3] == magic[3]
        else { return nil }
        let header = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])
        let stored = UInt32(littleEndian: header.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let fields = UnsafeRawBufferPointer(rebasing: header[0..<16])
        switch check {
        case .unsalted:
            guard header[5] == version, CRC32C.checksum(fields) == stored else { return nil }
        case .salted(let salt):
            guard header[5] == saltedVersion, CRC32C.checksum(fields, continuing: salt) == stored else { return nil }
        case .payloadOnly:
            guard header[5] == version || header[5] == saltedVersion else { return nil }
        }
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
    /// The first record of a version 2 segment (`SegmentStart`).
    case segmentStart = 4
}
