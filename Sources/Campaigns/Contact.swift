import Foundation

/// Where a contact stands: whether mail may go to it. Audiences take only `subscribed` contacts.
///
/// `pending`: created with double opt-in and not confirmed yet; it gets no campaign mail until
/// `ContactStore.confirm(_:time:ip:)` moves it to `subscribed`. An import cannot set it (`importable`), and an
/// import leaves a pending contact pending.
public enum ContactStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case subscribed, unsubscribed, bounced, complained, pending

    /// The statuses a CSV import may set.
    public static let importable: [ContactStatus] = [.subscribed, .unsubscribed, .bounced, .complained]
}

/// A contact: unique by its normalised email address.
public struct Contact: Sendable, Hashable {
    public var id: Int64?
    public var email: String
    public var firstName: String
    public var lastName: String
    public var status: ContactStatus
    public var tags: [String]
    /// Custom fields: column name → value.
    public var fields: [String: String]
    public var created: Date
    public var updated: Date

    public init(
        id: Int64? = nil, email: String, firstName: String = "", lastName: String = "",
        status: ContactStatus = .subscribed, tags: [String] = [], fields: [String: String] = [:],
        created: Date = Date(), updated: Date = Date()
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.status = status
        self.tags = tags
        self.fields = fields
        self.created = created
        self.updated = updated
    }
}

/// Address syntax good enough to reject what is surely not an address: one `@`, a non-empty local part of at
/// most 64 octets, a domain with a dot and no empty labels (RFC 5321 §4.1.2, §4.5.3.1), no spaces or
/// control characters, 254 octets at most.
public enum EmailSyntax {
    /// What is wrong with `address`, or nil when nothing is.
    public static func problem(_ address: String) -> String? {
        var address = address
        return address.withUTF8 { problem(bytes: $0) }
    }

    /// The same on the UTF-8 bytes, without copying them (the importer checks every row).
    static func problem(bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !bytes.isEmpty else { return "empty" }
        guard bytes.count <= 254 else { return "longer than 254 octets" }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return "no @" }
        guard at > 0 else { return "empty local part" }
        guard at <= 64 else { return "local part longer than 64 octets" }
        let domain = bytes[(at + 1)...]
        guard !domain.isEmpty else { return "empty domain" }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return "contains spaces or control characters" }
        if bytes[..<at].contains(UInt8(ascii: "@")) && bytes.first != UInt8(ascii: "\"") { return "more than one @" }
        // At least two labels, none empty.
        var labels = 1
        var labelLength = 0
        var emptyLabel = false
        for byte in domain {
            if byte == UInt8(ascii: ".") {
                if labelLength == 0 { emptyLabel = true }
                labels += 1
                labelLength = 0
            } else {
                labelLength += 1
            }
        }
        guard labels >= 2, !emptyLabel, labelLength > 0 else {
            return "domain \(String(decoding: domain, as: UTF8.self)) is not a domain name"
        }
        return nil
    }
}
