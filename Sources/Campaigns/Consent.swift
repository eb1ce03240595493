import Foundation

/// The record of a contact's consent (table `consent`): where and when it was given and, for double opt-in,
/// when it was confirmed.
public struct Consent: Sendable, Hashable {
    public var contactID: Int64
    /// `api`, `form`, `import`, `double-opt-in` …
    public var source: String
    /// The client's IP address, or empty.
    public var ip: String
    public var time: Date
    /// When the confirmation link was followed; nil until then.
    public var confirmed: Date?

    public init(contactID: Int64, source: String, ip: String = "", time: Date, confirmed: Date? = nil) {
        self.contactID = contactID
        self.source = source
        self.ip = ip
        self.time = time
        self.confirmed = confirmed
    }
}
