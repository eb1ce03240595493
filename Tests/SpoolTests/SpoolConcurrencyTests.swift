import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import Spool

@Suite struct SpoolConcurrencyTests {
    @Test func concurrentAppendsComeBackExactlyOnce() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let options = SpoolOptions(segmentSize: 64 << 10)
        let (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let ids = try await withThrowingTaskGroup(of: [QueueID].self) { group in
            for task in 0..<20 {
                group.addTask {
                    var ids: [QueueID] = []
                    for number in 0..<25 {
                        let tag = task * 100 + number
                        ids.append(
                            try await spool.append(
                                envelope: Fixtures.envelope(tag), body: Fixtures.body(tag, size: 700)))
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(ids.count == 500)
        #expect(Set(ids).count == 500)
        #expect(spool.count == 500)
        #expect(directory.segmentFiles().count > 1)
        await spool.close()

        let (reopened, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let recovered = reopened.messages()
        #expect(recovered.count == 500)
        #expect(Set(recovered.map(\.id)) == Set(ids))
        for message in recovered {
            let tag = Int(message.envelope.sender.dropFirst(6).prefix { $0 != "@" })!
            #expect(message.envelope == Fixtures.envelope(tag))
            #expect(try reopened.readBody(message.id) == Fixtures.body(tag, size: 700))
        }
        await reopened.close()
    }

    @Test func groupCommitSharesOneSyncAmongManyMessages() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        let count = 200
        let done = NIOLockedValueBox<[Result<QueueID, Error>]>([])
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            for number in 0..<count {
                spool.append(envelope: Fixtures.envelope(number), body: Fixtures.body(number, size: 4096)) { result in
                    let finished = done.withLockedValue { results -> Bool in
                        results.append(result)
                        return results.count == count
                    }
                    if finished { continuation.resume() }
                }
            }
        }
        let results = done.withLockedValue { $0 }
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        let statistics = spool.statistics
        #expect(statistics.records == count)
        #expect(statistics.syncs >= 1)
        #expect(statistics.syncs <= count / 2, "\(statistics.syncs) syncs for \(count) messages")
        #expect(statistics.syncs == statistics.batches)
        await spool.close()
    }

    @Test func requestsQueuedDuringASyncShareTheNextOne() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        _ = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        // Stands in for a slow fdatasync: everything submitted meanwhile must go out in one commit.
        spool.writer.queue.setPaused(true)
        let pending = (0..<100).map { number in
            Task { try await spool.append(envelope: Fixtures.envelope(number), body: Fixtures.body(number)) }
        }
        #expect(await Fixtures.eventually { spool.writer.queue.queuedCount == 100 })
        spool.writer.queue.setPaused(false)
        for task in pending { _ = try await task.value }
        #expect(spool.statistics.syncs == 2)
        #expect(spool.statistics.batches == 2)
        #expect(spool.statistics.records == 101)
        await spool.close()
    }

    @Test func fsyncOffStillWritesButNeverSyncs() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(
            directory: directory.spool, options: SpoolOptions(fsync: false), logger: CapturedLog().logger)
        _ = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        #expect(spool.statistics.syncs == 0)
        #expect(spool.statistics.batches == 1)
        await spool.close()
    }
}
