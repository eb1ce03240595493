import Foundation
import GRDB
import Storage
import Testing

/// The delivery log's batched insert stores exactly what GRDB's record insert would, and reads back equal.
@Suite struct DeliveryLogTests {
    static let entries = [
        DeliveryLogEntry(
            time: Date(timeIntervalSince1970: 1_795_000_000.125), queueID: "0ABCDEFGHJKMNPQR", sender: "a@example.org",
            recipient: "b@example.com", status: "delivered", attempt: 1, remoteHost: "mx.example.com", replyCode: 250,
            enhancedCode: "2.0.0", reply: "250 2.0.0 Ok", reason: nil, hard: nil, tls: "TLSv1.3"),
        DeliveryLogEntry(
            time: Date(timeIntervalSince1970: 1_795_000_001), queueID: "0ABCDEFGHJKMNPQR", sender: "",
            recipient: "c@example.com", status: "bounced", attempt: 2, remoteHost: nil, replyCode: 550,
            enhancedCode: "5.1.1", reply: "550 5.1.1 No such user", reason: "bad_mailbox", hard: true),
    ]

    @Test func batchedRowsEqualRecordInserts() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let database = try PetrelDatabase(path: path)
        let log = DeliveryLog(database: database)
        log.append(Self.entries)
        await log.flush()
        #expect(try await log.entries(queueID: "0ABCDEFGHJKMNPQR") == Self.entries)
        // The same entries through GRDB's Codable insert: every stored column must be identical.
        try await database.pool.write { db in
            for entry in Self.entries { try entry.insert(db) }
        }
        let rows = try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery_log ORDER BY id")
        }
        #expect(rows.count == 4)
        for (batched, record) in zip(rows[0..<2], rows[2..<4]) {
            for column in batched.columnNames where column != "id" {
                #expect(batched[column] as DatabaseValue == record[column] as DatabaseValue, "\(column)")
            }
        }
    }
}
