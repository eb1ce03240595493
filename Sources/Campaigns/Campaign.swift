import Foundation

/// Where a campaign is in its life: draft → scheduled → sending ⇄ paused → sent, or cancelled from any state
/// before sent.
public enum CampaignStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, scheduled, sending, paused, sent, cancelled

    /// Whether an operator may move a campaign from this state to `next`.
    public func allows(_ next: CampaignStatus) -> Bool {
        switch (self, next) {
        case (.draft, .scheduled), (.draft, .sending), (.scheduled, .draft), (.scheduled, .sending),
            (.sending, .paused), (.paused, .sending), (.sending, .sent):
            true
        case (.draft, .cancelled), (.scheduled, .cancelled), (.sending, .cancelled), (.paused, .cancelled):
            true
        default: false
        }
    }
}

/// How often a campaign runs again: each run is a copy of it sent at the next time.
public enum CampaignRecurrence: String, Sendable, Hashable, Codable, CaseIterable {
    case none = ""
    case daily, weekly, monthly

    /// The run after `date`.
    public func next(after date: Date, calendar: Calendar = Calendar(identifier: .gregorian)) -> Date? {
        var calendar = calendar
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        switch self {
        case .none: return nil
        case .daily: return calendar.date(byAdding: .day, value: 1, to: date)
        case .weekly: return calendar.date(byAdding: .day, value: 7, to: date)
        case .monthly: return calendar.date(byAdding: .month, value: 1, to: date)
        }
    }
}

/// Who a campaign goes to: the members of any of `lists` and the matches of any of `segments`, minus members
/// of `excludeLists` and matches of `excludeSegments`; always only subscribed contacts that are not
/// suppressed.
public struct CampaignAudience: Sendable, Hashable, Codable {
    public var lists: [String]
    public var segments: [Int64]
    public var excludeLists: [String]
    public var excludeSegments: [Int64]

    public init(
        lists: [String] = [], segments: [Int64] = [], excludeLists: [String] = [], excludeSegments: [Int64] = []
    ) {
        self.lists = lists
        self.segments = segments
        self.excludeLists = excludeLists
        self.excludeSegments = excludeSegments
    }

    enum CodingKeys: String, CodingKey {
        case lists, segments
        case excludeLists = "exclude_lists"
        case excludeSegments = "exclude_segments"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lists = try container.decodeIfPresent([String].self, forKey: .lists) ?? []
        segments = try container.decodeIfPresent([Int64].self, forKey: .segments) ?? []
        excludeLists = try container.decodeIfPresent([String].self, forKey: .excludeLists) ?? []
        excludeSegments = try container.decodeIfPresent([Int64].self, forKey: .excludeSegments) ?? []
    }

    public var isEmpty: Bool { lists.isEmpty && segments.isEmpty }
}

/// A campaign: one template version sent to an audience from one address.
public struct Campaign: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var status: CampaignStatus
    public var templateID: Int64?
    /// The template version it sends: pinned when sending starts (or set explicitly while in draft).
    public var templateVersion: Int?
    public var fromAddress: String
    public var fromName: String
    public var replyTo: String
    /// The domain of Message-IDs and the DKIM signing domain; empty: the From domain.
    public var sendingDomain: String
    /// The sender's postal address, added to the footer when the template does not show it (CAN-SPAM).
    public var postalAddress: String
    public var audience: CampaignAudience
    /// Campaign variables for the template (`{{campaign.<key>}}`).
    public var data: [String: String]
    public var sendAt: Date?
    public var recurrence: CampaignRecurrence
    public var parentID: Int64?
    public var created: Date
    public var updated: Date
    public var started: Date?
    public var finished: Date?
    /// The A/B test, when the campaign is one.
    public var abTest: ABTest? = nil
    /// The A/B test's progress (nil until it starts).
    public var abState: ABState? = nil
    /// A variant's subject in place of the template's (not stored: set by ``applying(_:)``).
    public var subjectOverride: String? = nil

    /// The domain of Message-IDs and signatures.
    public var effectiveSendingDomain: String {
        if !sendingDomain.isEmpty { return sendingDomain }
        guard let at = fromAddress.lastIndex(of: "@") else { return "localhost" }
        return String(fromAddress[fromAddress.index(after: at)...]).lowercased()
    }
}
