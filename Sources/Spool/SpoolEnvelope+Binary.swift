import Foundation

/// The compact binary form of an envelope, as stored in message records and in the in-memory index.
///
///     u8   version (1)
///     u32  recipient count n
///     u8×n recipient states          (fixed offset 5 + i, patched in place by state changes)
///     u64  arrival, bit pattern of the Double seconds since 2001 (exact round trip)
///     u8   flags: 1 SMTPUTF8, 2 REQUIRETLS
///     i8   priority
///     u16  mask of optional strings present, in the order written below
///     str  sender; then bodyType, envid, ret, messageID, clientAddress, heloName, authUser, listener if present
///     n ×  (u8 notify, u8 has-ORCPT, str address, [str orcpt])
///     varint attribute count, then (str key, str value) sorted by key
///
/// `str` is a LEB128 length followed by UTF-8 octets; integers are little-endian.
extension SpoolEnvelope {
    static let binaryVersion: UInt8 = 1
    /// Offset of the first recipient state byte.
    static let stateOffset = 5

    func encodedBytes() -> [UInt8] {
        var writer = BinaryWriter(capacity: 128 + recipients.count * 40)
        writer.write(Self.binaryVersion)
        writer.write(UInt32(recipients.count))
        for recipient in recipients {
            writer.write(recipient.state.rawValue)
        }
        writer.write(arrival.timeIntervalSinceReferenceDate.bitPattern)
        writer.write(UInt8((smtpUTF8 ? 1 : 0) | (requireTLS ? 2 : 0)))
        writer.write(UInt8(bitPattern: priority))
        let optionals = optionalStrings
        var mask: UInt16 = 0
        for (bit, value) in optionals.enumerated() where value != nil {
            mask |= 1 << UInt16(bit)
        }
        writer.write(mask)
        writer.write(sender)
        for case let value? in optionals {
            writer.write(value)
        }
        for recipient in recipients {
            writer.write(recipient.notify)
            writer.write(UInt8(recipient.orcpt == nil ? 0 : 1))
            writer.write(recipient.address)
            if let orcpt = recipient.orcpt {
                writer.write(orcpt)
            }
        }
        writer.writeVarint(attributes.count)
        for key in attributes.keys.sorted() {
            writer.write(key)
            writer.write(attributes[key]!)
        }
        return writer.bytes
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws {
        var reader = BinaryReader(bytes)
        let version = try reader.readUInt8()
        guard version == Self.binaryVersion else {
            throw BinaryReader.Malformed(reason: "envelope version \(version)")
        }
        let count = Int(try reader.readUInt32())
        let states = try reader.skip(count)
        let arrival = Date(timeIntervalSinceReferenceDate: Double(bitPattern: try reader.readUInt64()))
        let flags = try reader.readUInt8()
        let priority = Int8(bitPattern: try reader.readUInt8())
        let mask = try reader.readUInt16()
        let sender = try reader.readString()
        var optionals = [String?](repeating: nil, count: 8)
        for bit in 0..<8 where mask & (1 << UInt16(bit)) != 0 {
            optionals[bit] = try reader.readString()
        }
        var recipients: [SpoolRecipient] = []
        recipients.reserveCapacity(count)
        for index in 0..<count {
            let notify = try reader.readUInt8()
            let hasOrcpt = try reader.readUInt8() != 0
            let address = try reader.readString()
            let orcpt = hasOrcpt ? try reader.readString() : nil
            guard let state = RecipientState(rawValue: bytes[states.lowerBound + index]) else {
                throw BinaryReader.Malformed(reason: "recipient state \(bytes[states.lowerBound + index])")
            }
            recipients.append(SpoolRecipient(address: address, orcpt: orcpt, notify: notify, state: state))
        }
        let attributeCount = try reader.readVarint()
        var attributes: [String: String] = [:]
        attributes.reserveCapacity(attributeCount)
        for _ in 0..<attributeCount {
            let key = try reader.readString()
            attributes[key] = try reader.readString()
        }
        self.init(
            sender: sender,
            recipients: recipients,
            arrival: arrival,
            bodyType: optionals[0],
            smtpUTF8: flags & 1 != 0,
            requireTLS: flags & 2 != 0,
            envid: optionals[1],
            ret: optionals[2],
            messageID: optionals[3],
            clientAddress: optionals[4],
            heloName: optionals[5],
            authUser: optionals[6],
            listener: optionals[7],
            priority: priority,
            attributes: attributes
        )
    }

    init(decoding bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try SpoolEnvelope(decoding: $0) }
    }

    /// The number of recipients of an encoded envelope, or nil if it is too short.
    static func recipientCount(encoded bytes: [UInt8]) -> Int? {
        guard bytes.count >= stateOffset else { return nil }
        let count = Int(bytes[1]) | Int(bytes[2]) << 8 | Int(bytes[3]) << 16 | Int(bytes[4]) << 24
        return bytes.count >= stateOffset + count ? count : nil
    }

    private var optionalStrings: [String?] {
        [bodyType, envid, ret, messageID, clientAddress, heloName, authUser, listener]
    }
}
