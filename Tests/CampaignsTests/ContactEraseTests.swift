import Campaigns
import Foundation
import GRDB
import Storage
import Suppression
import Testing

@Suite struct ContactEraseTests {
    let database: PetrelDatabase
    let contacts: ContactStore
    let address = "erin@example.com"
    /// Another contact whose address contains the erased one: it must come through untouched.
    let lookalike = "sherin@example.com.au"

    init() throws {
        database = try TestDatabase.make()
        contacts = ContactStore(database: database)
    }

    /// Every text value of every table, one string per row and column.
    func allText() throws -> [String] {
        try database.pool.read { db in
            var out: [String] = []
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                for row in rows {
                    for value in row.databaseValues {
                        if let text = String.fromDatabaseValue(value) { out.append(text) }
                    }
                }
            }
            return out
        }
    }

    func mentions(_ texts: [String]) -> [String] {
        texts.filter { $0.lowercased().replacingOccurrences(of: lookalike, with: "").contains(address) }
    }

    @Test func eraseLeavesNoTraceButARefusingMark() throws {
        let erin = try #require(
            try contacts.create(
                ContactInput(email: "Erin@Example.com", firstName: "Erin", lists: ["news"], consentIP: "192.0.2.5")
            ).id)
        let other = try #require(try contacts.create(ContactInput(email: lookalike, lists: ["news"])).id)
        let suppression = try SuppressionStore(database: database)
        try suppression.add(
            SuppressionEntry(
                address: address, kind: .complaint, reason: "ARF from ERIN@example.com", source: "fbl",
                detail: "Original-Rcpt-To: <erin@example.com>; also " + lookalike))
        _ = try suppression.recordSoftBounce(address, time: Date(), source: "dsn", since: .distantPast)
        try database.pool.write { db in
            try db.execute(
                sql:
                    "INSERT INTO campaign (id, name, from_address, created, updated) VALUES (1, 'C', 'me@example.net', 0, 0)"
            )
            for (id, email) in [(erin, address), (other, lookalike)] {
                try db.execute(
                    sql: """
                        INSERT INTO campaign_recipient (campaign_id, contact_id, email, queue_id, status, opened)
                        VALUES (1, ?, ?, ?, 'delivered', 5)
                        """, arguments: [id, email, "Q\(id)"])
                try db.execute(
                    sql: """
                        INSERT INTO tracking_event (campaign_id, contact_id, kind, ip, user_agent, time)
                        VALUES (1, ?, 'open', '192.0.2.5', 'Mail', 5)
                        """, arguments: [id])
            }
            try db.execute(
                sql: """
                    INSERT INTO delivery_log (time, queue_id, sender, recipient, status, reply)
                    VALUES (1, 'Q1', 'me@example.net', 'Erin@Example.com', 'bounced', '550 5.1.1 <erin@example.com>: no')
                    """)
        }
        #expect(mentions(try allText()).count > 5)

        try contacts.erase(erin)

        #expect(mentions(try allText()) == [], "no table still holds the address")
        #expect(try contacts.contact(id: erin) == nil && contacts.consent(of: erin) == nil)
        #expect(try contacts.count(list: "news") == 1)
        try database.pool.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tracking_event") == 1)
            // The recipient row keeps its counts, without the address.
            #expect(
                try String.fetchOne(
                    db, sql: "SELECT email FROM campaign_recipient WHERE contact_id = ?", arguments: [erin]) == "")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM campaign_recipient WHERE opened IS NOT NULL") == 2)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM soft_bounce") == 0)
            let kept = try String.fetchOne(db, sql: "SELECT detail FROM suppression WHERE kind = 'complaint'")
            #expect(kept == "Original-Rcpt-To: <[erased]>; also " + lookalike)
            #expect(try String.fetchOne(db, sql: "SELECT recipient FROM delivery_log") == "[erased]")
        }
        // The look-alike contact is untouched.
        #expect(try contacts.contact(id: other)?.email == lookalike)

        // The mark still refuses the address: to the API and to an import.
        #expect(try contacts.isErasedSuppressed("ERIN@example.com"))
        #expect(try !contacts.isErasedSuppressed(lookalike))
        #expect(throws: CampaignStoreError.conflict("email: the address of an erased contact, suppressed")) {
            try contacts.create(ContactInput(email: address))
        }
        let importer = try ContactImporter(database: database)
        try importer.feed(Array("email\nerin@EXAMPLE.com\nfrank@example.com\n".utf8))
        let summary = try importer.finish()
        #expect(summary.errors.map(\.description) == ["line 2: email: the address of an erased contact, suppressed"])
        #expect(summary.inserted == 1)
    }

    @Test func anAddressThatWasNotSuppressedMayComeBack() throws {
        let id = try #require(try contacts.create(ContactInput(email: address)).id)
        try contacts.erase(id)
        #expect(try !contacts.isErasedSuppressed(address))
        #expect(try contacts.create(ContactInput(email: address)).email == address)
    }

    @Test func sha256OfTheNormalisedAddress() {
        // printf %s erin@example.com | sha256sum
        #expect(
            ErasedAddress.hash("erin@example.com")
                == "sha256:405340cd9ac94b08b93800aee3f0db2dd673256bc318987e51e177eb53cca1b2")
    }
}
