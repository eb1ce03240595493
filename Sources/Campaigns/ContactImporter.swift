import Foundation
import GRDB
import Storage
import Suppression

/// Imports contacts from CSV (RFC 4180) in a stream: the first record names the columns (`email` required;
/// `first_name`, `last_name`, `tags` (comma-separated), `status`; any other column becomes a custom field),
/// every following row is upserted by normalised email, in batches of one transaction. Bad rows are reported
/// with their line number and reason and skipped; the good rows are kept.
///
/// An address that belonged to an erased contact and is still suppressed (see `ErasedAddress`) is refused
/// with a row error, so that an old file cannot bring back someone who asked to be forgotten.
///
/// Batches are written by an `ImportWriter` on a queue of its own while the next batch is read, so an error
/// of the database surfaces at a later `feed` or at `finish`, and `summary` counts the rows written so far
/// (all of them once `finish` returns).
public final class ContactImporter {
    public struct RowError: Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public struct Summary: Sendable, Hashable {
        /// Rows read after the header, good and bad.
        public var rows = 0
        public var inserted = 0
        public var updated = 0
        /// Rows whose address appeared earlier in the same file (the later row wins).
        public var duplicates = 0
        public var errors: [RowError] = []
    }

    /// Rows per transaction by default: large enough that what each transaction costs is spread thin, small
    /// enough that the write lock is held for about half a second at a time.
    public static let defaultBatchSize = 50_000

    private let normalization: AddressNormalization
    private let batchSize: Int
    private var reader = CSVReader()
    private var columns: ImportColumns?
    private var batch: [ImportRow] = []
    private let writer: ImportWriter
    private var seen = FingerprintSet()
    private let now: Date
    /// `ErasedAddress` markers on the suppression list, read once: erasures are rare, so this is small.
    private let erased: Set<String>
    public private(set) var summary = Summary()

    /// `list`: a list (created when missing) every imported contact joins.
    public init(
        database: PetrelDatabase, normalization: AddressNormalization = AddressNormalization(), list: String? = nil,
        batchSize: Int = ContactImporter.defaultBatchSize, now: Date = Date()
    ) throws {
        self.normalization = normalization
        self.batchSize = max(batchSize, 1)
        self.now = now
        batch.reserveCapacity(self.batchSize)
        erased = try database.pool.read { db in try ContactStore.erasedMarkers(db) }
        let listID = try list.map { list in
            try database.pool.write { db in try ListStore.ensure(list, time: now, db) }
        }
        writer = ImportWriter(database: database, listID: listID, time: now.timeIntervalSince1970)
    }

    /// Feeds a chunk of the file.
    public func feed(_ chunk: some Collection<UInt8>) throws {
        // The reader is taken out of `self` while it runs, so that `take` may be called for each record.
        var reader = self.reader
        self.reader = CSVReader()
        defer { self.reader = reader }
        try reader.feedRaw(chunk) { try take($0) }
    }

    /// Ends the file: the last row and the last batch. Returns the summary.
    @discardableResult
    public func finish() throws -> Summary {
        var reader = self.reader
        self.reader = CSVReader()
        defer { self.reader = reader }
        try reader.finishRaw { try take($0) }
        try flush()
        try collect()
        if columns == nil, summary.errors.isEmpty {
            summary.errors.append(RowError(line: 1, reason: "empty file: no header row"))
        }
        return summary
    }

    /// Imports a whole file, reading it in 1 MiB chunks.
    public static func importFile(
        _ path: String, database: PetrelDatabase, normalization: AddressNormalization = AddressNormalization(),
        list: String? = nil
    ) throws -> Summary {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let importer = try ContactImporter(database: database, normalization: normalization, list: list)
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
            try importer.feed(data)
        }
        return try importer.finish()
    }

    private func take(_ result: Result<RawCSVRecord, CSVReader.Malformed>) throws {
        let record: RawCSVRecord
        switch result {
        case .failure(let malformed):
            if columns != nil { summary.rows += 1 }
            summary.errors.append(RowError(line: malformed.line, reason: malformed.reason))
            return
        case .success(let good):
            record = good
        }
        guard let columns else {
            let (columns, error) = ImportColumns.header(record.record.fields)
            self.columns = columns
            if let error { summary.errors.append(RowError(line: record.line, reason: error)) }
            return
        }
        summary.rows += 1
        switch columns.row(record, normalization: normalization) {
        case .failure(let problem):
            if let reason = problem.reason { summary.errors.append(RowError(line: record.line, reason: reason)) }
        case .success(let row):
            if !erased.isEmpty, erased.contains(ErasedAddress.hash(row.email)) {
                summary.errors.append(
                    RowError(line: record.line, reason: "email: the address of an erased contact, suppressed"))
                return
            }
            if !seen.insert(FingerprintSet.fingerprint(row.email)) { summary.duplicates += 1 }
            batch.append(row)
            if batch.count >= batchSize { try flush() }
        }
    }

    /// Without spaces and tabs at either end; the input itself (no copy) when there are none.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        guard isBlank(first) || isBlank(last) else { return text }
        guard let start = utf8.firstIndex(where: { !isBlank($0) }), let end = utf8.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[start...end])
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// Hands the batch to the writer, once the one before is written (one batch is written while the next
    /// is read).
    private func flush() throws {
        try collect()
        guard !batch.isEmpty else { return }
        writer.write(batch)
        batch = []
        batch.reserveCapacity(batchSize)
    }

    /// Waits for the batch being written and counts it; throws its error.
    private func collect() throws {
        let (rows, inserted) = try writer.settle()
        summary.inserted += inserted
        summary.updated += rows - inserted
    }
}
