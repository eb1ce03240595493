import Foundation
import NIOCore
import Spool
import Testing

@Suite struct SpoolRecoveryTests {
    /// Writes three messages into one segment; returns their ids and the offsets where the second
    /// and the third record start.
    private func writeThree(_ directory: TemporaryDirectory) async throws -> ([QueueID], [Int], String) {
        let (spool, _) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        var ids: [QueueID] = []
        var offsets: [Int] = []
        for number in 0..<3 {
            let file = directory.segmentFiles().last
            offsets.append(file.map(Fixtures.fileSize) ?? 0)
            ids.append(try await spool.append(envelope: Fixtures.envelope(number), body: Fixtures.body(number)))
        }
        await spool.close()
        let segment = try #require(directory.segmentFiles().first)
        offsets.append(Fixtures.fileSize(segment))
        return (ids, offsets, segment)
    }

    private func copy(_ source: TemporaryDirectory) -> TemporaryDirectory {
        let target = TemporaryDirectory()
        try! FileManager.default.removeItem(atPath: target.path)
        try! FileManager.default.copyItem(atPath: source.path, toPath: target.path)
        return target
    }

    @Test func tornTailAtEveryByteOfTheLastRecord() async throws {
        let original = TemporaryDirectory()
        defer { original.remove() }
        let (ids, offsets, segment) = try await writeThree(original)
        let lastStart = offsets[2]
        let end = offsets[3]
        #expect(end > lastStart + 60)
        let name = (segment as NSString).lastPathComponent
        for cut in lastStart..<end {
            let directory = copy(original)
            defer { directory.remove() }
            let path = directory.segments + "/" + name
            #expect(truncate(path, off_t(cut)) == 0)
            let log = CapturedLog()
            let (spool, report) = try Spool.open(directory: directory.spool, logger: log.logger)
            #expect(spool.messages().map(\.id) == Array(ids[0..<2]), "cut at \(cut)")
            #expect(report.tornRecords == (cut > lastStart ? 1 : 0), "cut at \(cut)")
            #expect(report.quarantined == 0, "cut at \(cut)")
            #expect(log.contains(.warning, "torn record") == (cut > lastStart), "cut at \(cut)")
            #expect(try spool.readBody(ids[1]) == Fixtures.body(1))
            await spool.close()
            #expect(Fixtures.fileSize(path) == lastStart, "torn tail is cut off")
            if cut == lastStart + 1 {
                #expect(directory.quarantineFiles() == ["1-\(lastStart).torn"])
                let (again, second) = try Spool.open(directory: directory.spool, logger: log.logger)
                #expect(second.tornRecords == 0)
                #expect(again.count == 2)
                await again.close()
            }
        }
    }

    @Test func tornTailThenMoreWritesThenReopen() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (ids, offsets, segment) = try await writeThree(directory)
        #expect(truncate(segment, off_t(offsets[3] - 5)) == 0)
        var (spool, report) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(report.tornRecords == 1)
        let fourth = try await spool.append(envelope: Fixtures.envelope(4), body: Fixtures.body(4))
        await spool.close()
        (spool, report) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(report.tornRecords == 0)
        #expect(spool.messages().map(\.id) == [ids[0], ids[1], fourth])
        await spool.close()
    }

    /// Offsets into the middle record: 9 is in its header (the length), -10 near the end of its body.
    @Test(arguments: [9, 30, -10])
    func flippedBitInMiddleRecordIsQuarantined(position: Int) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (ids, offsets, segment) = try await writeThree(directory)
        let handle = try #require(FileHandle(forUpdatingAtPath: segment))
        var bytes = handle.readDataToEndOfFile()
        let target = position >= 0 ? offsets[1] + position : offsets[2] + position
        bytes[target] ^= 0x04
        handle.seek(toFileOffset: 0)
        handle.write(bytes)
        try handle.close()

        let log = CapturedLog()
        let (spool, report) = try Spool.open(directory: directory.spool, logger: log.logger)
        #expect(spool.messages().map(\.id) == [ids[0], ids[2]])
        #expect(report.quarantined == 1)
        #expect(report.tornRecords == 0)
        #expect(log.contains(.error, "quarantined"))
        #expect(log.contains(.error, segment))
        #expect(directory.quarantineFiles() == ["1-\(offsets[1]).bad"])
        let saved = try Data(contentsOf: URL(fileURLWithPath: directory.quarantine + "/1-\(offsets[1]).bad"))
        #expect(saved == bytes[offsets[1]..<offsets[2]])
        #expect(try spool.readBody(ids[2]) == Fixtures.body(2))
        await spool.close()
    }

    @Test func garbageBetweenRecordsIsQuarantinedAndScanResynchronises() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (ids, offsets, segment) = try await writeThree(directory)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes.insert(
            contentsOf: [0x89, 0x50, 0x53, 0x50, 1, 2, 3, 4, 5] + Array(repeating: 0xEE, count: 30), at: offsets[1])
        try bytes.write(to: URL(fileURLWithPath: segment))
        let (spool, report) = try Spool.open(directory: directory.spool, logger: CapturedLog().logger)
        #expect(spool.messages().map(\.id) == ids)
        #expect(report.quarantined == 1)
        await spool.close()
    }

    @Test func corruptBodyIsDetectedOnRead() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        // No bodies kept in memory: every read goes to the segment.
        let (spool, _) = try Spool.open(
            directory: directory.spool, options: SpoolOptions(recentBodyBytes: 0), logger: CapturedLog().logger)
        let id = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body(0, size: 100))
        let segment = try #require(directory.segmentFiles().first)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[bytes.count - 3] ^= 1
        try bytes.write(to: URL(fileURLWithPath: segment))
        #expect(throws: SpoolError.self) { try spool.readBody(id) }
        await spool.close()
    }
}
