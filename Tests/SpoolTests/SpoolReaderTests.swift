import Foundation
import NIOCore
import Spool
import Testing

@Suite struct SpoolReaderTests {
    @Test func readerSeesWhatTheOpenSpoolWrote() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let first = try await spool.append(envelope: Fixtures.envelope(1, recipients: 2), body: Fixtures.body(1))
        let second = try await spool.append(envelope: Fixtures.envelope(2), body: Fixtures.body(2))
        let third = try await spool.append(envelope: Fixtures.envelope(3), body: Fixtures.body(3))
        try await spool.setRecipientState(first, recipient: 1, to: .delivered)
        try await spool.remove(second)

        let listed = try SpoolReader.scan(directory: directory.spool)
        #expect(listed.map(\.id) == [first, third])
        #expect(listed.map(\.envelope) == spool.messages().map(\.envelope))
        #expect(listed.first?.envelope.recipients.map(\.state) == [.pending, .delivered])
        #expect(listed.map(\.size) == [40, 40])
        #expect(try SpoolReader.readBody(directory: directory.spool, id: third) == Fixtures.body(3))
        #expect(try SpoolReader.readBody(directory: directory.spool, id: second) == nil)
        await spool.close()
    }

    @Test func readerIgnoresIncompleteTailAndModifiesNothing() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let first = try await spool.append(envelope: Fixtures.envelope(1), body: Fixtures.body(1))
        _ = try await spool.append(envelope: Fixtures.envelope(2), body: Fixtures.body(2))
        await spool.close()
        let segment = try #require(directory.segmentFiles().first)
        let size = Fixtures.fileSize(segment)
        let cut = size - 7
        #expect(truncate(segment, off_t(cut)) == 0)

        #expect(try SpoolReader.scan(directory: directory.spool).map(\.id) == [first])
        #expect(Fixtures.fileSize(segment) == cut)
        #expect(directory.quarantineFiles().isEmpty)
    }

    @Test func readerOfMissingDirectoryIsEmpty() throws {
        #expect(try SpoolReader.scan(directory: "/nonexistent/spool").isEmpty)
    }
}
