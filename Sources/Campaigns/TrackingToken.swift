import Foundation

/// What a tracking token says: the kind, the campaign (0: none) and contact, for a click the link's
/// position and target, for a confirmation when it was issued.
public struct TrackingToken: Sendable, Hashable {
    public var kind: TrackingKind
    public var campaignID: Int64
    public var contactID: Int64
    /// Click: the link's position among the message's tracked links (0-based).
    public var linkIndex: UInt16
    /// Click: the target URL; empty for other kinds.
    public var url: String
    /// Confirm: when the token was issued, in whole seconds; nil for other kinds.
    public var issuedAt: Date?

    public init(
        kind: TrackingKind, campaignID: Int64, contactID: Int64, linkIndex: UInt16 = 0, url: String = "",
        issuedAt: Date? = nil
    ) {
        self.kind = kind
        self.campaignID = campaignID
        self.contactID = contactID
        self.linkIndex = kind == .click ? linkIndex : 0
        self.url = kind == .click ? url : ""
        self.issuedAt = kind == .confirm ? (issuedAt ?? Date()).wholeSeconds : nil
    }

    public static func open(campaign: Int64, contact: Int64) -> TrackingToken {
        TrackingToken(kind: .open, campaignID: campaign, contactID: contact)
    }

    public static func click(campaign: Int64, contact: Int64, link: UInt16, url: String) -> TrackingToken {
        TrackingToken(kind: .click, campaignID: campaign, contactID: contact, linkIndex: link, url: url)
    }

    public static func unsubscribe(campaign: Int64, contact: Int64) -> TrackingToken {
        TrackingToken(kind: .unsubscribe, campaignID: campaign, contactID: contact)
    }

    public static func preferences(campaign: Int64, contact: Int64) -> TrackingToken {
        TrackingToken(kind: .preferences, campaignID: campaign, contactID: contact)
    }

    public static func confirm(contact: Int64, issuedAt: Date) -> TrackingToken {
        TrackingToken(kind: .confirm, campaignID: 0, contactID: contact, issuedAt: issuedAt)
    }
}

extension Date {
    /// Rounded down to a whole second since 1970, as tokens carry it.
    var wholeSeconds: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
