/// A successful lookup: at least one record of the type asked for.
public struct DNSAnswer<T: Sendable>: Sendable {
    /// The records, in the order the server sent them.
    public var records: T
    /// How long the answer may be used: the smallest TTL of the records and
    /// of the CNAMEs followed to reach them (RFC 2181 §5.2). A cached answer
    /// carries the time it has left.
    public var ttl: Duration
    /// The name the records belong to when the name asked for was an alias
    /// (RFC 1034 §3.6.2); `nil` when there was no CNAME.
    public var canonicalName: String?

    public init(records: T, ttl: Duration, canonicalName: String? = nil) {
        self.records = records
        self.ttl = ttl
        self.canonicalName = canonicalName
    }
}

extension DNSAnswer: Equatable where T: Equatable {}
extension DNSAnswer: Hashable where T: Hashable {}
