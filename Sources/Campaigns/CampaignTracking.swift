import Foundation
import GRDB
import Storage
import Suppression

/// What a recipient does with a campaign message: opens, clicks and unsubscribes, recorded as tracking events
/// and in the ledger. Machine activity (see ``MachineActivityClassifier``) is recorded and flagged but never
/// sets the ledger's first open or click, so it stays out of the headline rates.
public struct CampaignTracking: Sendable {
    let database: PetrelDatabase
    let ledger: any CampaignLedgerRepository
    let classifier: MachineActivityClassifier
    let suppression: SuppressionStore?
    /// Called for every open, click (with the machine reason, nil for a human) and unsubscribe.
    let onActivity: (@Sendable (CampaignActivity) -> Void)?

    public init(
        database: PetrelDatabase, classifier: MachineActivityClassifier, suppression: SuppressionStore?,
        onActivity: (@Sendable (CampaignActivity) -> Void)? = nil
    ) {
        self.database = database
        ledger = CampaignLedger(database: database)
        self.classifier = classifier
        self.suppression = suppression
        self.onActivity = onActivity
    }

    public struct Request: Sendable {
        public var method: String
        public var userAgent: String
        public var ip: String
        public init(method: String, userAgent: String, ip: String) {
            self.method = method
            self.userAgent = userAgent
            self.ip = ip
        }
    }

    /// Records an open or a click; returns the machine reason, or nil for a human.
    @discardableResult
    public func record(
        _ kind: MachineActivityClassifier.Kind, campaignID: Int64, contactID: Int64, link: String = "",
        request: Request, now: Date = Date()
    ) throws -> String? {
        let sent = try ledger.sentTime(campaignID: campaignID, contactID: contactID)
        let event = MachineActivityClassifier.Event(
            kind: kind, method: request.method, userAgent: request.userAgent, ip: request.ip,
            secondsSinceSent: sent.map { now.timeIntervalSince($0) })
        let machine = classifier.reason(for: event)
        try database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO tracking_event
                        (campaign_id, contact_id, kind, link, machine, machine_reason, user_agent, ip, time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    campaignID, contactID, kind == .open ? "open" : "click", link, machine != nil, machine ?? "",
                    String(request.userAgent.prefix(512)), request.ip, now.timeIntervalSince1970,
                ])
        }
        if machine == nil {
            try ledger.record(
                kind == .open ? .opened : .clicked, campaignID: campaignID, contactID: contactID, time: now)
        }
        onActivity?(
            CampaignActivity(
                kind: kind == .open ? .opened : .clicked, campaignID: campaignID, contactID: contactID, link: link,
                machine: machine, time: now))
        return machine
    }

    /// Unsubscribes the contact: status unsubscribed, on the suppression list (kind unsubscribe), the
    /// campaign's ledger and events. Returns its address, or nil when the contact no longer exists.
    @discardableResult
    public func unsubscribe(campaignID: Int64, contactID: Int64, source: String, now: Date = Date()) throws -> String? {
        let email = try database.pool.write { db -> String? in
            guard
                let email = try String.fetchOne(
                    db, sql: "SELECT email FROM contact WHERE id = ?", arguments: [contactID])
            else { return nil }
            try db.execute(
                sql: "UPDATE contact SET status = 'unsubscribed', updated = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, contactID])
            if campaignID != 0 {
                try db.execute(
                    sql: """
                        INSERT INTO tracking_event (campaign_id, contact_id, kind, time) VALUES (?, ?, 'unsubscribe', ?)
                        """, arguments: [campaignID, contactID, now.timeIntervalSince1970])
            }
            return email
        }
        guard let email else { return nil }
        if campaignID != 0 { try ledger.record(.unsubscribed, campaignID: campaignID, contactID: contactID, time: now) }
        try suppression?.add(
            SuppressionEntry(
                address: email, kind: .unsubscribe,
                reason: campaignID == 0 ? "unsubscribed" : "unsubscribed from campaign \(campaignID)", source: source,
                time: now))
        onActivity?(
            CampaignActivity(
                kind: .unsubscribed, campaignID: campaignID, contactID: contactID, email: email, link: "", machine: nil,
                time: now))
        return email
    }
}

/// An open, click or unsubscribe, for listeners (webhooks).
public struct CampaignActivity: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case opened, clicked, unsubscribed
    }

    public var kind: Kind
    public var campaignID: Int64
    public var contactID: Int64
    public var email: String = ""
    public var link: String
    /// Why it is counted as a machine's, nil for a person.
    public var machine: String?
    public var time: Date
}
