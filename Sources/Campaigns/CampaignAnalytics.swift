import Foundation
import GRDB
import Storage

/// A campaign's figures, counted the way the industry counts them: rates over delivered messages, unique
/// opens and clicks by human recipients only (machine opens and clicks — privacy proxies, scanners — are
/// counted apart), a click counting as an open too (images may be blocked).
public struct CampaignAnalytics: Sendable, Hashable, Codable {
    public var campaignID: Int64
    public var recipients: Int
    public var pending: Int
    public var sent: Int
    public var delivered: Int
    public var bounced: Int
    public var hardBounced: Int
    public var softBounced: Int
    public var uniqueOpens: Int
    public var opens: Int
    public var machineOpens: Int
    public var uniqueClicks: Int
    public var clicks: Int
    public var machineClicks: Int
    public var unsubscribed: Int
    public var complained: Int
    public var links: [Link]
    public var openRate: Double
    public var clickRate: Double
    public var clickToOpenRate: Double
    public var bounceRate: Double
    public var unsubscribeRate: Double
    public var complaintRate: Double

    public struct Link: Sendable, Hashable, Codable {
        public var url: String
        public var clicks: Int
        public var uniqueClicks: Int

        enum CodingKeys: String, CodingKey {
            case url
            case clicks
            case uniqueClicks = "unique_clicks"
        }
    }

    /// Reads the figures of one campaign.
    public static func load(campaignID: Int64, database: PetrelDatabase) throws -> CampaignAnalytics {
        try database.pool.read { db in
            let row =
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*),
                            SUM(status = 'pending'),
                            SUM(status != 'pending'),
                            SUM(delivered IS NOT NULL),
                            SUM(bounced IS NOT NULL),
                            SUM(bounced IS NOT NULL AND hard),
                            SUM(bounced IS NOT NULL AND NOT hard),
                            SUM(opened IS NOT NULL OR clicked IS NOT NULL),
                            SUM(clicked IS NOT NULL),
                            SUM(unsubscribed IS NOT NULL),
                            SUM(complained IS NOT NULL)
                        FROM campaign_recipient WHERE campaign_id = ?
                        """, arguments: [campaignID]) ?? Row()
            func value(_ index: Int) -> Int { (row[index] as Int?) ?? 0 }
            var events: [String: Int] = [:]
            for event in try Row.fetchAll(
                db,
                sql: "SELECT kind, machine, COUNT(*) FROM tracking_event WHERE campaign_id = ? GROUP BY kind, machine",
                arguments: [campaignID])
            {
                events["\(event[0] as String)-\((event[1] as Bool) ? "machine" : "human")"] = event[2]
            }
            let links = try Row.fetchAll(
                db,
                sql: """
                    SELECT link, COUNT(*), COUNT(DISTINCT contact_id) FROM tracking_event
                    WHERE campaign_id = ? AND kind = 'click' AND NOT machine GROUP BY link ORDER BY COUNT(*) DESC
                    """, arguments: [campaignID]
            ).map { Link(url: $0[0], clicks: $0[1], uniqueClicks: $0[2]) }
            let delivered = value(3)
            let sent = value(2)
            func rate(_ part: Int, _ whole: Int) -> Double {
                whole == 0 ? 0 : (Double(part) / Double(whole) * 10_000).rounded() / 10_000
            }
            return CampaignAnalytics(
                campaignID: campaignID, recipients: value(0), pending: value(1), sent: sent, delivered: delivered,
                bounced: value(4), hardBounced: value(5), softBounced: value(6), uniqueOpens: value(7),
                opens: events["open-human"] ?? 0, machineOpens: events["open-machine"] ?? 0, uniqueClicks: value(8),
                clicks: events["click-human"] ?? 0, machineClicks: events["click-machine"] ?? 0,
                unsubscribed: value(9), complained: value(10), links: links,
                openRate: rate(value(7), delivered), clickRate: rate(value(8), delivered),
                clickToOpenRate: rate(value(8), value(7)), bounceRate: rate(value(4), sent),
                unsubscribeRate: rate(value(9), delivered), complaintRate: rate(value(10), delivered))
        }
    }

    enum CodingKeys: String, CodingKey {
        case campaignID = "campaign_id"
        case recipients
        case pending
        case sent
        case delivered
        case bounced
        case hardBounced = "hard_bounced"
        case softBounced = "soft_bounced"
        case uniqueOpens = "unique_opens"
        case opens
        case machineOpens = "machine_opens"
        case uniqueClicks = "unique_clicks"
        case clicks
        case machineClicks = "machine_clicks"
        case unsubscribed
        case complained
        case links
        case openRate = "open_rate"
        case clickRate = "click_rate"
        case clickToOpenRate = "click_to_open_rate"
        case bounceRate = "bounce_rate"
        case unsubscribeRate = "unsubscribe_rate"
        case complaintRate = "complaint_rate"
    }
}
