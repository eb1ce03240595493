/// The first record of every segment file the writer starts (record format version 2): the file's
/// sequence number and the salt of every record header after it (`RecordHeader.stamp`).
///
///     payload: u32 sequence, u32 salt, u8 flags (bit 0: recycled)
///
/// Its own header is salted with the sequence number, which binds it to the file's name: the start
/// record a recycled file kept from its earlier life fails the check under the new name, and the new
/// one is written and synced before the file takes that name. A recycled file may hold records of its
/// earlier life after the new ones; the scanner reads them as unused space.
struct SegmentStart: Equatable {
    static let payloadSize = 9
    static let recordSize = RecordHeader.size + payloadSize

    var sequence: UInt32
    var salt: UInt32
    var recycled: Bool

    /// A start record with a random salt.
    static func random(sequence: UInt32, recycled: Bool) -> SegmentStart {
        var generator = SystemRandomNumberGenerator()
        return SegmentStart(sequence: sequence, salt: generator.next(), recycled: recycled)
    }

    var record: [UInt8] {
        var payload = BinaryWriter(capacity: Self.payloadSize)
        payload.write(sequence)
        payload.write(salt)
        payload.write(UInt8(recycled ? 1 : 0))
        var bytes = [UInt8](repeating: 0, count: RecordHeader.size) + payload.bytes
        RecordHeader(
            type: RecordType.segmentStart.rawValue, payloadLength: Self.payloadSize,
            payloadChecksum: CRC32C.checksum(payload.bytes)
        ).write(into: &bytes, at: 0)
        RecordHeader.stamp(&bytes, at: 0, salt: sequence)
        return bytes
    }

    enum Found: Equatable {
        case start(SegmentStart)
        /// The header is whole but the file ends inside the payload.
        case torn
        /// The header is whole but the payload fails its checksum or names another segment.
        case damaged
        /// No start record: a version 1 segment, or an empty one.
        case none
    }

    /// What begins the bytes of segment `sequence`.
    static func read(_ bytes: UnsafeRawBufferPointer, sequence: UInt32) -> Found {
        guard let header = RecordHeader.parse(bytes, at: 0, check: .salted(sequence)),
            header.type == RecordType.segmentStart.rawValue, header.payloadLength == payloadSize
        else { return .none }
        guard bytes.count >= recordSize else { return .torn }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[RecordHeader.size..<recordSize])
        guard CRC32C.checksum(payload) == header.payloadChecksum else { return .damaged }
        let stored = payload.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian
        guard stored == sequence else { return .damaged }
        let salt = payload.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        return .start(SegmentStart(sequence: sequence, salt: salt, recycled: payload[8] & 1 == 1))
    }
}
