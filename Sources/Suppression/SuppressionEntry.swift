import Foundation
import GRDB

/// One suppressed address, with why, where from and when.
public struct SuppressionEntry: Sendable, Hashable, Codable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "suppression"

    /// Why an address is suppressed.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A permanent failure of the address itself (unknown user, no such domain …).
        case hardBounce = "hard-bounce"
        /// Soft bounces reached the policy's limit within its window.
        case softBounce = "soft-bounce"
        /// The recipient reported the mail as spam (an ARF abuse report, RFC 5965).
        case complaint
        /// The recipient asked to receive no more mail (an opt-out report, a List-Unsubscribe request).
        case unsubscribe
        /// Added by an operator.
        case manual
    }

    public var id: Int64?
    /// The normalised address.
    public var address: String
    public var kind: Kind
    /// The bounce reason (`userunknown`, `mailboxfull` …), the feedback type, or an operator's words.
    public var reason: String
    /// Which message caused it: a queue id, a bounce file, `smtp` + the remote host, or `cli`.
    public var source: String
    public var time: Date
    /// The status and diagnostic text behind it, on one line.
    public var detail: String

    public init(
        address: String, kind: Kind, reason: String, source: String, time: Date = Date(), detail: String = ""
    ) {
        self.address = address
        self.kind = kind
        self.reason = reason
        self.source = source
        self.time = time
        self.detail = detail
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
