/// Where delivery to one recipient of a spooled message stands.
public enum RecipientState: UInt8, Sendable, Codable {
    case pending = 0
    case delivered = 1
    case bounced = 2
    case expired = 3
    case deferred = 4
}
