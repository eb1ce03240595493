import NIOCore

/// Builds and decodes record payloads (see `RecordType`).
enum SpoolRecord {
    /// Header, id and envelope length before the envelope bytes of a message record.
    static let messageFixedPrefix = RecordHeader.size + 10 + 4

    /// A decoded payload; ranges index the buffer that was scanned.
    enum Payload {
        case message(QueueID, envelope: Range<Int>, body: Range<Int>)
        case recipientState(QueueID, index: Int, state: UInt8)
        case removal(QueueID)
    }

    /// A message record up to the start of its body; the header's checksum already covers `body`.
    static func messagePrefix(id: QueueID, envelope: [UInt8], body: ByteBuffer) -> [UInt8] {
        body.withUnsafeReadableBytes { messagePrefix(id: id, envelope: envelope, body: $0) }
    }

    static func messagePrefix(id: QueueID, envelope: [UInt8], body: UnsafeRawBufferPointer) -> [UInt8] {
        var writer = BinaryWriter(capacity: messageFixedPrefix + envelope.count)
        writer.bytes.append(contentsOf: repeatElement(0, count: RecordHeader.size))
        writer.write(id)
        writer.write(UInt32(envelope.count))
        writer.bytes.append(contentsOf: envelope)
        let checksum = writer.bytes.withUnsafeBytes {
            CRC32C.checksum(
                body, continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[RecordHeader.size...])))
        }
        let header = RecordHeader(
            type: RecordType.message.rawValue,
            payloadLength: writer.bytes.count - RecordHeader.size + body.count,
            payloadChecksum: checksum
        )
        header.write(into: &writer.bytes, at: 0)
        return writer.bytes
    }

    static func recipientState(id: QueueID, index: Int, state: RecipientState) -> [UInt8] {
        var payload = BinaryWriter(capacity: 15)
        payload.write(id)
        payload.write(UInt32(index))
        payload.write(state.rawValue)
        return record(type: .recipientState, payload: payload.bytes)
    }

    static func removal(id: QueueID) -> [UInt8] {
        var payload = BinaryWriter(capacity: 10)
        payload.write(id)
        return record(type: .removal, payload: payload.bytes)
    }

    private static func record(type: RecordType, payload: [UInt8]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: RecordHeader.size)
        bytes.append(contentsOf: payload)
        let header = RecordHeader(
            type: type.rawValue,
            payloadLength: payload.count,
            payloadChecksum: CRC32C.checksum(payload)
        )
        header.write(into: &bytes, at: 0)
        return bytes
    }

    /// Decodes the payload at `range` of `bytes`.
    static func decode(type: UInt8, _ bytes: UnsafeRawBufferPointer, payload range: Range<Int>) throws -> Payload {
        let payload = UnsafeRawBufferPointer(rebasing: bytes[range])
        var reader = BinaryReader(payload)
        let id = try reader.readQueueID()
        switch RecordType(rawValue: type) {
        case .message:
            let envelopeLength = Int(try reader.readUInt32())
            let envelope = try reader.skip(envelopeLength)
            let shift = range.lowerBound
            return .message(
                id,
                envelope: envelope.lowerBound + shift..<envelope.upperBound + shift,
                body: reader.offset + shift..<range.upperBound
            )
        case .recipientState:
            let index = Int(try reader.readUInt32())
            return .recipientState(id, index: index, state: try reader.readUInt8())
        case .removal:
            return .removal(id)
        case .segmentStart:
            throw BinaryReader.Malformed(reason: "segment start record after the start")
        case nil:
            throw BinaryReader.Malformed(reason: "unknown record type \(type)")
        }
    }
}
