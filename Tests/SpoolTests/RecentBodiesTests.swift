import NIOCore
import Testing

@testable import Spool

@Suite struct RecentBodiesTests {
    static func body(_ size: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: size)
        buffer.writeRepeatingByte(0x61, count: size)
        return buffer
    }

    @Test func keepsTheNewestBodiesWithinItsLimit() {
        // The allocator rounds a buffer of 1000 up to 1024 bytes, which is what counts.
        let recent = RecentBodies(limit: 4400)
        let ids = (0..<5).map { _ in QueueID.generate() }
        for id in ids { recent.insert(id, Self.body(1000)) }
        // 5 × 1024 bytes against 4400: the oldest went.
        #expect(recent.body(ids[0]) == nil)
        for id in ids.dropFirst() { #expect(recent.body(id) == Self.body(1000)) }
        recent.remove(ids[2])
        #expect(recent.body(ids[2]) == nil)
        recent.insert(QueueID.generate(), Self.body(1000))
        // The removed body's room was free: nothing else had to go.
        #expect(recent.body(ids[1]) != nil)
        #expect(recent.counts.bodies == 4)
    }

    @Test func aBodyOverAQuarterOfTheLimitIsNotKept() {
        let recent = RecentBodies(limit: 4400)
        let id = QueueID.generate()
        recent.insert(id, Self.body(1200))
        #expect(recent.body(id) == nil)
    }

    /// A body that stays (a deferred message) while thousands behind it come and go does not make the
    /// eviction queue grow with them.
    @Test func removedIdsDoNotPileUpBehindAKeptBody() {
        let recent = RecentBodies(limit: 1 << 20)
        recent.insert(QueueID.generate(), Self.body(100))
        for _ in 0..<10_000 {
            let id = QueueID.generate()
            recent.insert(id, Self.body(100))
            recent.remove(id)
        }
        #expect(recent.counts.bodies == 1)
        #expect(recent.counts.queued < 100)
    }

    /// Through the spool: a body just stored is read without the disk, and is gone once its message is
    /// removed; reopened, the same body comes from the segment.
    @Test func theSpoolServesRecentBodiesAndForgetsRemovedOnes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let kept = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(1, size: 3000))
        let removed = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(2, size: 3000))
        #expect(spool.recent.counts.bodies == 2)
        #expect(try spool.readBody(kept) == Fixtures.body(1, size: 3000))
        try await spool.remove(removed)
        #expect(spool.recent.counts.bodies == 1)
        #expect(throws: SpoolError.self) { try spool.readBody(removed) }
        await spool.close()
        (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(spool.recent.counts.bodies == 0)
        #expect(try spool.readBody(kept) == Fixtures.body(1, size: 3000))
        await spool.close()
    }
}
