/// An MX resource record (RFC 1035 §3.3.9).
public struct MXRecord: Sendable, Hashable {
    /// Lower is preferred (RFC 5321 §5.1).
    public var preference: Int
    /// The mail exchanger, lowercased, without trailing dot; the root is
    /// written ".".
    public var exchange: String

    public init(preference: Int, exchange: String) {
        self.preference = preference
        self.exchange = exchange
    }

    /// RFC 7505 §3: the null MX has preference 0 and an exchange of the
    /// single zero-length label, the root.
    public var isNullMX: Bool {
        preference == 0 && exchange == "."
    }
}
