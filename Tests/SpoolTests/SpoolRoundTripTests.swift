import Foundation
import NIOCore
import Spool
import Testing

@Suite struct SpoolRoundTripTests {
    @Test func appendReadAndReopen() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = CapturedLog()
        var (spool, report) = try Spool.open(directory: directory.spool, logger: log.logger)
        #expect(report.messages == 0)
        var ids: [QueueID] = []
        for number in 0..<5 {
            ids.append(
                try await spool.append(envelope: Fixtures.envelope(number, recipients: 2), body: Fixtures.body(number)))
        }
        #expect(spool.count == 5)
        #expect(spool.messages().map(\.id) == ids)
        for (number, id) in ids.enumerated() {
            let message = try #require(spool.message(id))
            #expect(message.envelope == Fixtures.envelope(number, recipients: 2))
            #expect(message.size == 40)
            #expect(try spool.readBody(id) == Fixtures.body(number))
        }
        await spool.close()

        (spool, report) = try Spool.open(directory: directory.spool, logger: log.logger)
        #expect(report.messages == 5)
        #expect(report.tornRecords == 0)
        #expect(report.quarantined == 0)
        #expect(spool.messages().map(\.id) == ids)
        #expect(spool.messages().map(\.envelope) == (0..<5).map { Fixtures.envelope($0, recipients: 2) })
        #expect(try spool.readBody(ids[3]) == Fixtures.body(3))
        await spool.close()
    }

    @Test func emptyBodyAndLargeBody() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let empty = try await spool.append(envelope: Fixtures.envelope(), body: ByteBuffer())
        let large = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(1, size: 3 << 20))
        #expect(try spool.readBody(empty).readableBytes == 0)
        #expect(try spool.readBody(large) == Fixtures.body(1, size: 3 << 20))
        await spool.close()
    }

    @Test func recipientStateAndRemovalSurviveReopen() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let log = CapturedLog()
        var (spool, _) = try Spool.open(directory: directory.spool, logger: log.logger)
        let first = try await spool.append(envelope: Fixtures.envelope(1, recipients: 3), body: Fixtures.body(1))
        let second = try await spool.append(envelope: Fixtures.envelope(2), body: Fixtures.body(2))
        try await spool.setRecipientState(first, recipient: 0, to: .delivered)
        try await spool.setRecipientState(first, recipient: 2, to: .bounced)
        try await spool.setRecipientState(first, recipient: 2, to: .expired)
        try await spool.remove(second)
        #expect(spool.message(first)?.envelope.recipients.map(\.state) == [.delivered, .pending, .expired])
        #expect(spool.message(second) == nil)
        await spool.close()

        (spool, _) = try Spool.open(directory: directory.spool, logger: log.logger)
        #expect(spool.count == 1)
        #expect(spool.message(first)?.envelope.recipients.map(\.state) == [.delivered, .pending, .expired])
        #expect(spool.message(second) == nil)
        #expect(throws: SpoolError.self) { try spool.readBody(second) }
        await spool.close()
    }

    @Test func invalidUpdatesFail() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let id = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        await #expect(throws: SpoolError.self) { try await spool.setRecipientState(id, recipient: 1, to: .delivered) }
        await #expect(throws: SpoolError.self) { try await spool.setRecipientState(id, recipient: -1, to: .delivered) }
        await #expect(throws: SpoolError.self) { try await spool.remove(QueueID.generate()) }
        try await spool.remove(id)
        await #expect(throws: SpoolError.self) { try await spool.remove(id) }
        await #expect(throws: SpoolError.self) { try await spool.setRecipientState(id, recipient: 0, to: .delivered) }
        await spool.close()
    }

    @Test func closedSpoolRefusesAndReleasesLock() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(throws: SpoolError.self) { try Spool.open(directory: directory.spool, logger: CapturedLog().logger) }
        await spool.close()
        await spool.close()
        await #expect(throws: SpoolError.self) {
            try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        }
        let (again, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        await again.close()
    }

    @Test func newProcessStartsNewSegment() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        for round in 0..<3 {
            let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
            _ = try await spool.append(envelope: Fixtures.envelope(round), body: Fixtures.body(round))
            await spool.close()
        }
        #expect(directory.segmentFiles().count == 3)
        let (spool, report) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(report.segments == 3)
        #expect(report.messages == 3)
        await spool.close()
    }
}
