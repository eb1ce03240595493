import Foundation
import GRDB

/// Consent records and double opt-in.
extension ContactStore {
    /// A contact's consent record, or nil (contacts from an import have none until confirmed).
    public func consent(of contactID: Int64) throws -> Consent? {
        try database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT contact_id, source, ip, time, confirmed FROM consent WHERE contact_id = ?",
                arguments: [contactID]
            ).map { row in
                Consent(
                    contactID: row[0], source: row[1], ip: row[2], time: Date(timeIntervalSince1970: row[3]),
                    confirmed: (row[4] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Double opt-in: the contact followed the confirmation link. Sets `consent.confirmed` (the first
    /// confirmation is kept; a contact without a consent record gets one, source `double-opt-in`) and moves a
    /// `pending` contact to `subscribed`. Any other status is left alone: confirming again never resubscribes
    /// someone who unsubscribed, bounced or complained since. Returns the contact as it now is.
    @discardableResult
    public func confirm(_ contactID: Int64, time: Date = Date(), ip: String = "") throws -> Contact {
        try database.pool.write { db in
            guard try Self.contact(id: contactID, db) != nil else {
                throw CampaignStoreError.notFound("contact", contactID)
            }
            try db.execute(
                sql: """
                    INSERT INTO consent (contact_id, source, ip, time, confirmed) VALUES (?, 'double-opt-in', ?, ?, ?)
                    ON CONFLICT(contact_id) DO UPDATE SET confirmed = COALESCE(consent.confirmed, excluded.confirmed)
                    """,
                arguments: [contactID, ip, time.timeIntervalSince1970, time.timeIntervalSince1970])
            try db.execute(
                sql: "UPDATE contact SET status = 'subscribed', updated = ? WHERE id = ? AND status = 'pending'",
                arguments: [time.timeIntervalSince1970, contactID])
            guard let contact = try Self.contact(id: contactID, db) else {
                throw CampaignStoreError.notFound("contact", contactID)
            }
            return contact
        }
    }
}
