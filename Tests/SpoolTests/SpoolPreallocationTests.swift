import Foundation
import NIOCore
import Testing

@testable import Spool

/// Segments written full of zeros ahead of use (`SpoolOptions.preallocate`): the zeros that end a
/// segment are unused space, not damage, and a write cut off inside them is a torn record of its
/// own length.
@Suite struct SpoolPreallocationTests {
    /// 8 KB segments, bodies of 1,500 bytes: five messages per segment.
    private let options = SpoolOptions(segmentSize: 8192, preallocate: true)

    @Test func preallocatedSegmentsRecoverWholeWithNothingQuarantined() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let ids = try await Fixtures.append(40, to: spool, size: 1500) { number in
            // Give the preparer time to have the next segment ready, as it has between real segments.
            if number % 5 == 4 { _ = await Fixtures.eventually { Self.preparedFiles(directory).count == 1 } }
        }
        // Segments taken from the preparer have the full size, zeros after the records.
        let full = directory.segmentFiles().filter { Fixtures.fileSize($0) == 8192 }
        #expect(full.count >= 5)
        await spool.close()
        #expect(Self.preparedFiles(directory).isEmpty)

        let log = CapturedLog()
        let (reopened, report) = try Spool.open(directory: directory.spool, options: options, logger: log.logger)
        #expect(report.messages == 40)
        #expect(report.tornRecords == 0)
        #expect(report.quarantined == 0)
        #expect(directory.quarantineFiles().isEmpty)
        #expect(!log.all.contains { $0.0 >= .warning })
        for (number, id) in ids.enumerated() {
            #expect(try reopened.readBody(id) == Fixtures.body(number, size: 1500))
        }
        // Recovery cut the zeros off: no segment ends in them any more.
        for file in directory.segmentFiles() {
            let bytes = try #require(FileManager.default.contents(atPath: file))
            #expect(bytes.last != 0, "\(file)")
        }
        await reopened.close()
    }

    /// A crash in the middle of writing a record into zeroed space: the record is torn, copied to
    /// quarantine at its declared length (not the zeros after it), and the messages before it are all there.
    @Test func aWriteCutOffInsideTheZerosIsATornRecord() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (spool, _) = try Spool.open(directory: directory.spool, options: options, logger: CapturedLog().logger)
        let ids = try await Fixtures.append(7, to: spool, size: 1500) { number in
            if number == 4 { _ = await Fixtures.eventually { Self.preparedFiles(directory).count == 1 } }
        }
        await spool.close()
        let segment = try #require(directory.segmentFiles().last)
        var bytes = try #require(FileManager.default.contents(atPath: segment))
        try #require(bytes.count == 8192)
        // The records end where the zeros begin (a body never ends in a zero byte).
        let end = try #require(bytes.lastIndex { $0 != 0 }) + 1
        // The first 700 bytes of a copy of the segment's first message record, written after the last one: its
        // header is whole, so the torn record spans the length the header declares.
        let cut = 700
        let first = SegmentStart.recordSize
        let declared = try #require(
            bytes.withUnsafeBytes { RecordHeader.parse($0, at: first, check: .payloadOnly) }
        ).recordLength
        try #require(declared > cut)
        bytes.replaceSubrange(end..<end + cut, with: bytes[first..<first + cut])
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let log = CapturedLog()
        let (reopened, report) = try Spool.open(directory: directory.spool, options: options, logger: log.logger)
        #expect(report.messages == 7)
        #expect(report.tornRecords == 1)
        #expect(report.quarantined == 0)
        #expect(directory.quarantineFiles() == ["\(Self.sequence(of: segment))-\(end).torn"])
        #expect(Fixtures.fileSize(directory.quarantine + "/\(Self.sequence(of: segment))-\(end).torn") == declared)
        #expect(Fixtures.fileSize(segment) == end)
        for (number, id) in ids.enumerated() {
            #expect(try reopened.readBody(id) == Fixtures.body(number, size: 1500))
        }
        await reopened.close()
    }

    @Test func scannerEndsAtZerosAndCutsAHeaderFragmentBeforeThem() throws {
        var record = [UInt8](repeating: 0, count: RecordHeader.size)
        let payload = Array("payload".utf8)
        RecordHeader(type: 3, payloadLength: payload.count, payloadChecksum: CRC32C.checksum(payload))
            .write(into: &record, at: 0)
        record += payload
        let fragment = Array(record[0..<9])
        let cases: [([UInt8], [String])] = [
            (record + [UInt8](repeating: 0, count: 100), ["record 0", "unused 27..<127"]),
            (record + fragment + [UInt8](repeating: 0, count: 100), ["record 0", "torn 27..<36", "unused 36..<136"]),
            ([UInt8](repeating: 0, count: 50), ["unused 0..<50"]),
            (record, ["record 0"]),
        ]
        for (bytes, expected) in cases {
            var events: [String] = []
            bytes.withUnsafeBytes { raw in
                SegmentScanner.scan(raw, sequence: 1) { event in
                    switch event {
                    case .record(_, let offset, _): events.append("record \(offset)")
                    case .damaged(let range, _): events.append("damaged \(range)")
                    case .torn(let range): events.append("torn \(range)")
                    case .unused(let range): events.append("unused \(range)")
                    }
                }
            }
            #expect(events == expected)
        }
    }

    private static func preparedFiles(_ directory: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.segments)) ?? []).filter {
            $0.hasSuffix(".tmp")
        }
    }

    private static func sequence(of segment: String) -> Int {
        Int(URL(fileURLWithPath: segment).deletingPathExtension().lastPathComponent)!
    }
}
