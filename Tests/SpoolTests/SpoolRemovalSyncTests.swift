import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import Spool

/// A group of removals alone is written at once but synced with the next records that need a sync
/// (SpoolWriter.flush), or by itself after `removalSyncDelay`.
@Suite struct SpoolRemovalSyncTests {
    static func segmentBytes(_ directory: TemporaryDirectory) -> Int {
        directory.segmentFiles().map(Fixtures.fileSize).reduce(0, +)
    }

    /// A spool whose removals wait for another record's sync far longer than any test runs.
    static func openWaiting(_ directory: TemporaryDirectory) throws -> Spool {
        try Spool.open(
            directory: directory.spool, options: SpoolOptions(removalSyncDelay: .seconds(600)),
            logger: CapturedLog().logger
        ).0
    }

    /// Starts the removal of `id` and returns once its record is in the segment (written, not synced).
    static func removeUntilWritten(_ id: QueueID, from spool: Spool, in directory: TemporaryDirectory) async
        -> Task<Void, Error>
    {
        let size = segmentBytes(directory)
        let removal = Task { try await spool.remove(id) }
        #expect(await Fixtures.eventually { segmentBytes(directory) > size })
        return removal
    }

    @Test func aRemovalWaitsForTheNextAppendAndSharesItsSync() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Self.openWaiting(directory)
        let first = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(1))
        let syncs = spool.statistics.syncs
        let size = Self.segmentBytes(directory)
        let removed = NIOLockedValueBox(false)
        spool.remove(first) { result in
            if case .success = result { removed.withLockedValue { $0 = true } }
        }
        // Written, not synced: the message is still there and its remover still waits.
        #expect(await Fixtures.eventually { Self.segmentBytes(directory) > size })
        #expect(spool.message(first) != nil)
        #expect(!removed.withLockedValue { $0 })
        #expect(spool.statistics.syncs == syncs)
        // The next append's sync covers both.
        let second = try await spool.append(envelope: Fixtures.envelope(2), body: Fixtures.body(2))
        #expect(await Fixtures.eventually { removed.withLockedValue { $0 } })
        #expect(spool.message(first) == nil)
        #expect(spool.message(second) != nil)
        #expect(spool.statistics.syncs == syncs + 1)
        await spool.close()
    }

    @Test func aRemovalAloneIsSyncedAfterTheDelay() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let id = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(1))
        let syncs = spool.statistics.syncs
        try await spool.remove(id)
        #expect(spool.message(id) == nil)
        #expect(spool.statistics.syncs == syncs + 1)
        // A second removal of it is refused, as before.
        await #expect(throws: SpoolError.self) { try await spool.remove(id) }
        await spool.close()
    }

    @Test func closeSyncsAWaitingRemoval() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Self.openWaiting(directory)
        let gone = try await spool.append(envelope: Fixtures.envelope(1), body: Fixtures.body(1))
        let kept = try await spool.append(envelope: Fixtures.envelope(2), body: Fixtures.body(2))
        let removal = await Self.removeUntilWritten(gone, from: spool, in: directory)
        await spool.close()
        try await removal.value
        let (reopened, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(reopened.messages().map(\.id) == [kept])
        await reopened.close()
    }

    /// A removal of a message, then a state change of it in the same wait, is refused like a state change
    /// after a synced removal.
    @Test func aWaitingRemovalRefusesLaterRecordsOfItsMessage() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let spool = try Self.openWaiting(directory)
        let id = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(1))
        let removal = await Self.removeUntilWritten(id, from: spool, in: directory)
        await #expect(throws: SpoolError.self) { try await spool.setRecipientState(id, recipient: 0, to: .delivered) }
        await #expect(throws: SpoolError.self) { try await spool.remove(id) }
        await spool.close()
        try await removal.value
    }
}
