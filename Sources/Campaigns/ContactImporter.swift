import Foundation
import GRDB
import Storage
import Suppression

/// Imports contacts from CSV (RFC 4180) in a stream: the first record names the columns (`email` required;
/// `first_name`, `last_name`, `tags` (comma-separated), `status`; any other column becomes a custom field),
/// every following row is upserted by normalised email, in batches of one transaction. Bad rows are reported
/// with their line number and reason and skipped; the good rows are kept.
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

    private let database: PetrelDatabase
    private let normalization: AddressNormalization
    private let batchSize: Int
    private var reader = CSVReader()
    private var columns: Columns?
    /// Contacts to write, each with whether its address came earlier in this file.
    private var batch: [(contact: Contact, repeated: Bool)] = []
    private var seen = FingerprintSet()
    private let listID: Int64?
    private let now: Date
    public private(set) var summary = Summary()

    struct Columns {
        var email: Int
        var firstName: Int?
        var lastName: Int?
        var tags: Int?
        var status: Int?
        var custom: [(index: Int, name: String)]
        var count: Int
    }

    /// `list`: a list (created when missing) every imported contact joins.
    public init(
        database: PetrelDatabase, normalization: AddressNormalization = AddressNormalization(), list: String? = nil,
        batchSize: Int = 5000, now: Date = Date()
    ) throws {
        self.database = database
        self.normalization = normalization
        self.batchSize = batchSize
        self.now = now
        if let list {
            listID = try database.pool.write { db in
                try db.execute(
                    sql: "INSERT INTO list (name, created) VALUES (?, ?) ON CONFLICT(name) DO NOTHING",
                    arguments: [list, now.timeIntervalSince1970])
                return try Int64.fetchOne(db, sql: "SELECT id FROM list WHERE name = ?", arguments: [list])
            }
        } else {
            listID = nil
        }
    }

    /// Feeds a chunk of the file.
    public func feed(_ chunk: some Collection<UInt8>) throws {
        var records: [Result<CSVReader.Record, CSVReader.Malformed>] = []
        reader.feed(chunk) { records.append($0) }
        for record in records { try take(record) }
    }

    /// Ends the file: the last row and the last batch. Returns the summary.
    @discardableResult
    public func finish() throws -> Summary {
        var records: [Result<CSVReader.Record, CSVReader.Malformed>] = []
        reader.finish { records.append($0) }
        for record in records { try take(record) }
        try flush()
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

    private func take(_ result: Result<CSVReader.Record, CSVReader.Malformed>) throws {
        let record: CSVReader.Record
        switch result {
        case .failure(let malformed):
            if columns != nil { summary.rows += 1 }
            summary.errors.append(RowError(line: malformed.line, reason: malformed.reason))
            return
        case .success(let good):
            record = good
        }
        guard let columns else {
            try readHeader(record)
            return
        }
        summary.rows += 1
        guard columns.email >= 0 else { return }  // no email column: reported once, at the header
        guard record.fields.count == columns.count else {
            summary.errors.append(
                RowError(line: record.line, reason: "expected \(columns.count) fields, got \(record.fields.count)"))
            return
        }
        let rawEmail = Self.trimmed(record.fields[columns.email])
        if let problem = EmailSyntax.problem(rawEmail) {
            summary.errors.append(RowError(line: record.line, reason: "email: \(problem)"))
            return
        }
        var contact = Contact(email: normalization.normalize(rawEmail), created: now, updated: now)
        if let index = columns.firstName { contact.firstName = record.fields[index] }
        if let index = columns.lastName { contact.lastName = record.fields[index] }
        if let index = columns.tags {
            contact.tags = record.fields[index].split(separator: ",").map { Self.trimmed(String($0)) }
                .filter { !$0.isEmpty }
        }
        if let index = columns.status, !record.fields[index].isEmpty {
            guard let status = ContactStatus(rawValue: record.fields[index].lowercased()) else {
                summary.errors.append(
                    RowError(
                        line: record.line,
                        reason: "status: \"\(record.fields[index])\" is not one of "
                            + ContactStatus.allCases.map(\.rawValue).joined(separator: ", ")))
                return
            }
            contact.status = status
        }
        for (index, name) in columns.custom where !record.fields[index].isEmpty {
            contact.fields[name] = record.fields[index]
        }
        let repeated = !seen.insert(FingerprintSet.fingerprint(contact.email))
        if repeated { summary.duplicates += 1 }
        batch.append((contact, repeated))
        if batch.count >= batchSize { try flush() }
    }

    /// Without spaces and tabs at either end; the input itself (no copy) when there are none.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard isBlank(first) || isBlank(last) else { return text }
        guard let start = utf8.firstIndex(where: { !isBlank($0) }), let end = utf8.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[start...end])
    }

    private func readHeader(_ record: CSVReader.Record) throws {
        let names = record.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let email = names.firstIndex(of: "email") else {
            summary.errors.append(RowError(line: record.line, reason: "header: no \"email\" column"))
            // Without an email column no row can be imported: every row is reported against this one error.
            columns = Columns(email: -1, custom: [], count: -1)
            return
        }
        var custom: [(Int, String)] = []
        let known: Set<String> = ["email", "first_name", "last_name", "tags", "status"]
        for (index, name) in names.enumerated() where !known.contains(name) && !name.isEmpty {
            custom.append((index, record.fields[index].trimmingCharacters(in: .whitespaces)))
        }
        columns = Columns(
            email: email, firstName: names.firstIndex(of: "first_name"), lastName: names.firstIndex(of: "last_name"),
            tags: names.firstIndex(of: "tags"), status: names.firstIndex(of: "status"), custom: custom,
            count: names.count)
    }

    private func flush() throws {
        guard !batch.isEmpty else { return }
        let contacts = batch
        batch.removeAll(keepingCapacity: true)
        let listID = self.listID
        let (inserted, updated) = try database.pool.write { db -> (Int, Int) in
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO contact (email, first_name, last_name, status, tags, fields, created, updated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(email) DO UPDATE SET
                        first_name = excluded.first_name, last_name = excluded.last_name,
                        status = CASE WHEN contact.status = 'subscribed' THEN excluded.status ELSE contact.status END,
                        tags = excluded.tags, fields = json_patch(contact.fields, excluded.fields),
                        updated = excluded.updated
                    RETURNING id * 2 + (created = updated)
                    """)
            let join = try listID.map { _ in
                try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO list_member (list_id, contact_id) VALUES (?, ?)")
            }
            var inserted = 0
            var updated = 0
            for (contact, repeated) in contacts {
                let time = contact.created.timeIntervalSince1970
                // One value back: the row id, and whether the row is new (created = updated holds only for a row
                // this import inserted; a repeat of an address earlier in the file is an update all the same).
                guard
                    let returned = try Int64.fetchOne(
                        upsert,
                        arguments: [
                            contact.email, contact.firstName, contact.lastName, contact.status.rawValue,
                            JSONText.array(contact.tags), JSONText.object(contact.fields), time, time,
                        ])
                else { continue }
                if returned & 1 == 1 && !repeated { inserted += 1 } else { updated += 1 }
                if let join, let listID { try join.execute(arguments: [listID, returned >> 1]) }
            }
            return (inserted, updated)
        }
        summary.inserted += inserted
        summary.updated += updated
    }
}

/// Minimal JSON text for string arrays and string maps (RFC 8259 §7 escaping), without Foundation's encoder.
enum JSONText {
    static func array(_ values: [String]) -> String {
        "[" + values.map(string).joined(separator: ",") + "]"
    }

    static func object(_ values: [String: String]) -> String {
        "{" + values.sorted { $0.key < $1.key }.map { string($0.key) + ":" + string($0.value) }.joined(separator: ",")
            + "}"
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
