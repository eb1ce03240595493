import Foundation
import NIOCore
import Testing

@testable import Spool

/// Emptied segments are kept and the next segment starts in their file (SpoolWriter+Segments.swift);
/// record headers salted per segment keep what the file held before from ever being read again.
@Suite struct SpoolRecyclingTests {
    /// Bodies of 1,800 bytes in 4,000-byte segments: two messages per segment.
    private let options = SpoolOptions(segmentSize: 4000)

    private static func inode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? Int
    }

    @Test func anEmptiedSegmentIsReusedAndWhatItHeldNeverComesBack() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let old = try await Fixtures.append(4, to: spool, size: 1800)
        let files = directory.segmentFiles()
        try #require(files.count == 2)
        let inode = try #require(Self.inode(files[0]))
        let oldSize = Fixtures.fileSize(files[0])

        // Segment 1 empties: its file is kept as a spare, under a name recovery does not read.
        try await spool.remove(old[0])
        try await spool.remove(old[1])
        #expect(await Fixtures.eventually { spool.statistics.deletedSegments == 1 })
        #expect(directory.segmentFiles() == [files[1]])
        #expect(FileManager.default.fileExists(atPath: directory.segments + "/recycled-1.tmp"))

        // Segment 2 is full: the next message starts segment 3 in segment 1's file.
        let newID = try await spool.append(envelope: Fixtures.envelope(10), body: Fixtures.body(10, size: 1000))
        #expect(spool.statistics.recycledSegments == 1)
        let third = try #require(directory.segmentFiles().last)
        #expect(third.hasSuffix("0000000003.seg"))
        #expect(Self.inode(third) == inode)
        #expect(!FileManager.default.fileExists(atPath: directory.segments + "/recycled-1.tmp"))
        await spool.close()
        // Message 1's record is still in the file, past the new one.
        let bytes = try #require(FileManager.default.contents(atPath: third))
        #expect(bytes.count == oldSize)
        #expect(bytes.range(of: Data("line 1\r\n".utf8)) != nil)

        let log = CapturedLog()
        let report: RecoveryReport
        (spool, report) = try Spool.open(directory: directory.spool, options: options, logger: log.logger)
        #expect(spool.messages().map(\.id) == [old[2], old[3], newID])
        #expect(report.quarantined == 0)
        #expect(report.tornRecords == 0)
        #expect(!log.contains(.warning, "torn") && !log.contains(.error, "quarantined"))
        #expect(try spool.readBody(newID) == Fixtures.body(10, size: 1000))
        #expect(try spool.readBody(old[3]) == Fixtures.body(3, size: 1800))
        // Recovery cuts the old content off.
        #expect(Fixtures.fileSize(third) < oldSize)
        await spool.close()
    }

    @Test func withoutRecyclingAnEmptiedSegmentIsDeleted() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var options = options
        options.recycleSegments = false
        let (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let ids = try await Fixtures.append(4, to: spool, size: 1800)
        try await spool.remove(ids[0])
        try await spool.remove(ids[1])
        #expect(await Fixtures.eventually { spool.statistics.deletedSegments == 1 })
        _ = try await spool.append(envelope: Fixtures.envelope(10), body: Fixtures.body(10, size: 1000))
        #expect(spool.statistics.recycledSegments == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.segments).allSatisfy { $0.hasSuffix(".seg") })
        await spool.close()
    }

    @Test func aSpareLeftByAnEarlierProcessIsDeleted() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let id = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        await spool.close()
        let spare = directory.segments + "/recycled-7.tmp"
        try Data(repeating: 0x89, count: 3000).write(to: URL(fileURLWithPath: spare))
        let report: RecoveryReport
        (spool, report) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        #expect(!FileManager.default.fileExists(atPath: spare))
        #expect(report.quarantined == 0)
        #expect(spool.messages().map(\.id) == [id])
        await spool.close()
    }

    @Test func aDamagedStartRecordQuarantinesTheWholeSegment() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        _ = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        await spool.close()
        let segment = try #require(directory.segmentFiles().first)
        var bytes = try #require(FileManager.default.contents(atPath: segment))
        bytes[RecordHeader.size + 5] ^= 1  // the salt
        try bytes.write(to: URL(fileURLWithPath: segment))
        let log = CapturedLog()
        let report: RecoveryReport
        (spool, report) = try Spool.open(directory: directory.spool, options: options, logger: log.logger)
        #expect(spool.count == 0)
        #expect(report.quarantined == 1)
        #expect(log.contains(.error, "segment start record damaged"))
        #expect(directory.quarantineFiles() == ["1-0.bad"])
        await spool.close()
    }

    /// A read through a descriptor of a segment whose file was reused meanwhile finds another message's
    /// record where the index said: the record's own id tells them apart.
    @Test func aReadChecksThatTheRecordIsTheMessages() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let id = try await spool.append(envelope: Fixtures.envelope(), body: Fixtures.body())
        let entry = try #require(spool.index.withLockedValue { $0.entries[id] })
        #expect(try entry.readBody(id: id, paths: spool.paths) == Fixtures.body())
        #expect {
            try entry.readBody(id: QueueID.generate(), paths: spool.paths)
        } throws: { error in
            guard case SpoolError.corruptRecord(_, _, let reason) = error else { return false }
            return reason == "the record is another message's"
        }
        await spool.close()
    }

    // MARK: the scanner on crafted files

    private static func removal(_ number: Int, salt: UInt32) -> [UInt8] {
        var record = SpoolRecord.removal(id: QueueID(String(format: "%016d", number))!)
        RecordHeader.stamp(&record, at: 0, salt: salt)
        return record
    }

    private static func events(_ bytes: [UInt8], sequence: UInt32) -> [String] {
        var events: [String] = []
        bytes.withUnsafeBytes { raw in
            SegmentScanner.scan(raw, sequence: sequence) { event in
                switch event {
                case .record(_, let offset, _): events.append("record \(offset)")
                case .damaged(let range, _): events.append("damaged \(range)")
                case .torn(let range): events.append("torn \(range)")
                case .unused(let range): events.append("unused \(range)")
                }
            }
        }
        return events
    }

    /// Segment 1 (salt A) with three 30-byte removal records, reused as segment 5 (salt B) with one
    /// record of its own written over the first old one.
    private static func recycledFile(recycled: Bool = true) -> [UInt8] {
        var file = SegmentStart(sequence: 1, salt: 0xA, recycled: false).record
        for number in 1...3 { file += removal(number, salt: 0xA) }
        file.replaceSubrange(0..<29, with: SegmentStart(sequence: 5, salt: 0xB, recycled: recycled).record)
        file.replaceSubrange(29..<59, with: removal(9, salt: 0xB))
        return file
    }

    @Test func oldRecordsOfARecycledFileAreUnusedSpace() {
        #expect(SegmentStart.recordSize == 29)
        let file = Self.recycledFile()
        #expect(file.count == 119)
        #expect(Self.events(file, sequence: 5) == ["record 29", "unused 59..<119"])
        // Under its old name the start record does not match: no record of segment 1 is read either.
        #expect(!Self.events(file, sequence: 1).contains { $0.hasPrefix("record") })
        // In a file not marked recycled, bytes after the records that are neither zeros nor records
        // are reported (copied to quarantine) as a torn tail or damage, as before.
        let fresh = Self.events(Self.recycledFile(recycled: false), sequence: 5)
        #expect(fresh.first == "record 29")
        #expect(fresh.dropFirst().first.map { $0.hasPrefix("torn 59") || $0.hasPrefix("damaged 59") } == true)
    }

    @Test func aRecordCutOffInARecycledFileIsTorn() {
        var file = Self.recycledFile()
        // The header of a new record is whole; its payload is still the old bytes.
        let next = Self.removal(10, salt: 0xB)
        file.replaceSubrange(59..<79, with: next[0..<20])
        #expect(Self.events(file, sequence: 5) == ["record 29", "torn 59..<89", "unused 89..<119"])
    }

    @Test func damageBetweenNewRecordsOfARecycledFileIsStillDamage() {
        var file = Self.recycledFile()
        file.replaceSubrange(59..<89, with: Self.removal(10, salt: 0xB))
        file.replaceSubrange(89..<119, with: Self.removal(11, salt: 0xB))
        file += Self.removal(4, salt: 0xA)
        file[60] ^= 0x10
        #expect(Self.events(file, sequence: 5) == ["record 29", "damaged 59..<89", "record 89", "unused 119..<149"])
    }

    @Test func saltedHeaderChecks() {
        let record = Self.removal(1, salt: 0x1234)
        #expect(record[5] == 2)
        record.withUnsafeBytes { raw in
            #expect(RecordHeader.parse(raw, at: 0, check: .salted(0x1234)) != nil)
            #expect(RecordHeader.parse(raw, at: 0, check: .salted(0x1235)) == nil)
            #expect(RecordHeader.parse(raw, at: 0, check: .unsalted) == nil)
            #expect(RecordHeader.parse(raw, at: 0, check: .payloadOnly) != nil)
        }
        let unsalted = SpoolRecord.removal(id: QueueID(String(format: "%016d", 1))!)
        unsalted.withUnsafeBytes { raw in
            #expect(RecordHeader.parse(raw, at: 0, check: .unsalted) != nil)
            #expect(RecordHeader.parse(raw, at: 0, check: .salted(0)) == nil)
        }
    }
}
