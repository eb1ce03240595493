import Foundation
import NIOCore
import Spool
import Testing

@Suite struct SpoolGarbageCollectionTests {
    /// Bodies of 1,500 bytes in 2,000-byte segments: one message per segment.
    private let options = SpoolOptions(segmentSize: 2000)

    @Test func fullyRemovedOldestSegmentIsDeleted() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let ids = try await Fixtures.append(3, to: spool, size: 1500)
        let files = directory.segmentFiles()
        #expect(files.count == 3)
        try await spool.remove(ids[0])
        // The file goes first, then the counter (once the directory is synced).
        #expect(await Fixtures.eventually { spool.statistics.deletedSegments == 1 })
        #expect(!FileManager.default.fileExists(atPath: files[0]))
        #expect(directory.segmentFiles() == Array(files[1...]))

        // A fully removed segment behind a live one waits: deleting it could resurrect nothing here,
        // but only the oldest segment is ever deleted.
        try await spool.remove(ids[2])
        #expect(FileManager.default.fileExists(atPath: files[2]))
        await spool.close()

        (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        #expect(spool.messages().map(\.id) == [ids[1]])
        try await spool.remove(ids[1])
        // Only the active segment (holding that removal) is left.
        #expect(await Fixtures.eventually { directory.segmentFiles().count == 1 })
        #expect(!directory.segmentFiles().contains(files[1]) && !directory.segmentFiles().contains(files[2]))
        await spool.close()
        let (empty, report) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        #expect(report.messages == 0)
        #expect(empty.count == 0)
        await empty.close()
    }

    @Test func removalsInLaterSegmentNeverResurrectMessages() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let first = try await spool.append(envelope: Fixtures.envelope(1), body: Fixtures.body(1, size: 1500))
        let second = try await spool.append(envelope: Fixtures.envelope(2), body: Fixtures.body(2, size: 1500))
        try await spool.remove(second)  // the removal lands in the second segment
        try await spool.remove(first)
        #expect(await Fixtures.eventually { spool.statistics.deletedSegments == 1 })
        await spool.close()
        (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        #expect(spool.count == 0)
        await spool.close()
    }

    @Test func liveMessagesOfOldSegmentAreRewrittenThenItIsDeleted() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let keeper = try await spool.append(
            envelope: Fixtures.envelope(0, recipients: 2), body: Fixtures.body(0, size: 1500))
        try await spool.setRecipientState(keeper, recipient: 1, to: .deferred)
        let oldest = try #require(directory.segmentFiles().first)
        for number in 1..<8 {
            let id = try await spool.append(
                envelope: Fixtures.envelope(number), body: Fixtures.body(number, size: 1500))
            try await spool.remove(id)
        }
        #expect(await Fixtures.eventually { !FileManager.default.fileExists(atPath: oldest) })
        #expect(spool.statistics.rewrittenMessages >= 1)
        #expect(spool.message(keeper)?.envelope.recipients.map(\.state) == [.pending, .deferred])
        #expect(try spool.readBody(keeper) == Fixtures.body(0, size: 1500))
        try await spool.setRecipientState(keeper, recipient: 0, to: .delivered)
        await spool.close()

        (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        #expect(spool.messages().map(\.id) == [keeper])
        #expect(spool.message(keeper)?.envelope.recipients.map(\.state) == [.delivered, .deferred])
        #expect(try spool.readBody(keeper) == Fixtures.body(0, size: 1500))
        await spool.close()
    }

    /// Reads go through descriptors kept open per segment: more segments than the cache holds read back
    /// right in any order, and once garbage collection deletes a segment no descriptor of it stays open.
    @Test func bodiesReadThroughKeptDescriptorsAcrossEvictionAndDeletion() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let ids = try await Fixtures.append(20, to: spool, size: 1500)
        for number in Array(0..<20) + Array((0..<20).reversed()) + [3, 17, 3, 11, 0, 19] {
            #expect(try spool.readBody(ids[number]) == Fixtures.body(number, size: 1500))
        }
        for id in ids[..<10] { try await spool.remove(id) }
        #expect(await Fixtures.eventually { spool.statistics.deletedSegments == 10 })
        #expect(Self.openDeletedFiles(under: directory.spool) == [])
        for number in 10..<20 {
            #expect(try spool.readBody(ids[number]) == Fixtures.body(number, size: 1500))
        }
        await spool.close()
    }

    /// Targets of this process's descriptors that lie under `root` and are deleted.
    private static func openDeletedFiles(under root: String) -> [String] {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.compactMap { name in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)
            else { return nil }
            return target.hasSuffix("(deleted)") && target.contains(root) ? target : nil
        }
    }
}
