import Foundation
import NIOCore
import Testing

@testable import Spool

@Suite struct CodecTests {
    @Test func crc32cCheckValue() {
        // RFC 3720 §B.4 test vectors and the usual "123456789" check value.
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
    }

    /// The CPU's CRC32 instruction and the tables agree, on every length and alignment.
    @Test func crc32cHardwareMatchesSoftware() {
        let bytes = (0..<4099).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4099] {
            for offset in [0, 1, 3] where offset + length <= bytes.count {
                bytes[offset..<(offset + length)].withUnsafeBytes { slice in
                    #expect(
                        CRC32C.checksum(slice, continuing: 0x1234_5678)
                            == CRC32C.software(slice, continuing: 0x1234_5678))
                }
            }
        }
        #expect(CRC32C.software(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }

    @Test func crc32cIsIncremental() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let whole = CRC32C.checksum(bytes)
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let first = CRC32C.checksum(Array(bytes[..<split]))
            #expect(CRC32C.checksum(Array(bytes[split...]), continuing: first) == whole)
        }
    }

    @Test func envelopeRoundTripWithEverySet() throws {
        let envelope = SpoolEnvelope(
            sender: "",
            recipients: [
                SpoolRecipient(address: "a@example.org", orcpt: "rfc822;a@example.org", notify: 3, state: .deferred),
                SpoolRecipient(address: "ü@例え.jp", state: .delivered),
            ],
            arrival: Date(timeIntervalSinceReferenceDate: 123_456_789.123_456),
            bodyType: "8BITMIME",
            smtpUTF8: true,
            requireTLS: true,
            envid: "env-1",
            ret: "HDRS",
            messageID: "<x@y>",
            clientAddress: "192.0.2.1",
            heloName: "client.example",
            authUser: "alice",
            listener: "submission",
            priority: -3,
            attributes: ["tenant": "t1", "campaign": "c9"]
        )
        let bytes = envelope.encodedBytes()
        #expect(try SpoolEnvelope(decoding: bytes) == envelope)
        #expect(SpoolEnvelope.recipientCount(encoded: bytes) == 2)
        #expect(bytes[SpoolEnvelope.stateOffset] == RecipientState.deferred.rawValue)
        #expect(bytes[SpoolEnvelope.stateOffset + 1] == RecipientState.delivered.rawValue)
    }

    @Test func minimalEnvelopeExactBytes() {
        let envelope = SpoolEnvelope(
            sender: "a@b",
            recipients: [SpoolRecipient(address: "c@d")],
            arrival: Date(timeIntervalSinceReferenceDate: 0)
        )
        let expected: [UInt8] =
            [1, 1, 0, 0, 0, 0]  // version, one recipient, state pending
            + [0, 0, 0, 0, 0, 0, 0, 0]  // arrival 0.0
            + [0, 0, 0, 0]  // flags, priority, optional mask
            + [3] + Array("a@b".utf8)
            + [0, 0, 3] + Array("c@d".utf8)  // notify, no ORCPT, address
            + [0]  // no attributes
        #expect(envelope.encodedBytes() == expected)
    }

    @Test func truncatedEnvelopeThrows() {
        let bytes = Fixtures.envelope(1, recipients: 3).encodedBytes()
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try SpoolEnvelope(decoding: Array(bytes[..<length])) }
        }
    }

    @Test func recordHeaderLayout() {
        let record = SpoolRecord.removal(id: QueueID("0000000000000001")!)
        #expect(record.count == RecordHeader.size + 10)
        #expect(Array(record[0..<8]) == [0x89, 0x50, 0x53, 0x50, 3, 1, 0, 0])
        #expect(Array(record[8..<12]) == [10, 0, 0, 0])
        let header = record.withUnsafeBytes { RecordHeader.parse($0, at: 0) }
        #expect(
            header == RecordHeader(type: 3, payloadLength: 10, payloadChecksum: CRC32C.checksum(Array(record[20...]))))
        for byte in 0..<RecordHeader.size {
            var damaged = record
            damaged[byte] ^= 0x10
            #expect(damaged.withUnsafeBytes { RecordHeader.parse($0, at: 0) } == nil)
        }
    }

    @Test func messageRecordChecksumCoversBody() throws {
        let id = QueueID.generate()
        let body = Fixtures.body(1, size: 300)
        let envelope = Fixtures.envelope(1).encodedBytes()
        var record = SpoolRecord.messagePrefix(id: id, envelope: envelope, body: body)
        record += Array(body.readableBytesView)
        var events: [String] = []
        record.withUnsafeBytes { raw in
            SegmentScanner.scan(raw, sequence: 1) { event in
                if case .record(let type, let offset, let header) = event {
                    events.append("record \(type) \(offset) \(header.payloadLength)")
                    let payload = try? SpoolRecord.decode(type: type, raw, payload: 20..<raw.count)
                    if case .message(let decodedID, let envelopeRange, let bodyRange)? = payload {
                        #expect(decodedID == id)
                        #expect(Array(raw[envelopeRange]) == envelope)
                        #expect(bodyRange.count == 300)
                    }
                }
            }
        }
        #expect(events == ["record 1 0 \(record.count - 20)"])
    }
}
