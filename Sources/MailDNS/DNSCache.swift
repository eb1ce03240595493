/// The storage of `CachingResolver`: answers and failures by (type, name),
/// each until an expiry instant. A plain value; the clock is an argument.
struct DNSCache: Sendable {
    enum Key: Sendable, Hashable {
        case mx(String)
        case addresses(String)
        case txt(String)
    }

    enum Value: Sendable {
        case mx(DNSAnswer<[MXRecord]>)
        case addresses(DNSAnswer<[IPAddressRecord]>)
        case txt(DNSAnswer<[String]>)
        case failure(DNSError)

        /// The value as seen `remaining` before it expires: answers carry
        /// the TTL they have left (RFC 1035 §7.3 decrements TTLs in caches).
        func aged(remaining: Duration) -> Value {
            // Whole seconds, as a TTL on the wire would be.
            let ttl = Duration.seconds(remaining.components.seconds)
            switch self {
            case .mx(var answer):
                answer.ttl = ttl
                return .mx(answer)
            case .addresses(var answer):
                answer.ttl = ttl
                return .addresses(answer)
            case .txt(var answer):
                answer.ttl = ttl
                return .txt(answer)
            case .failure:
                return self
            }
        }
    }

    private struct Entry: Sendable {
        var value: Value
        var expiry: ContinuousClock.Instant
    }

    let capacity: Int
    private var entries: [Key: Entry] = [:]

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// The live value for `key` at `now`, its TTL aged; `nil` if absent or
    /// expired.
    func value(for key: Key, at now: ContinuousClock.Instant) -> Value? {
        guard let entry = entries[key], entry.expiry > now else { return nil }
        return entry.value.aged(remaining: now.duration(to: entry.expiry))
    }

    /// Keeps `value` for `lifetime` from `now`; a lifetime of zero or less
    /// stores nothing and drops any older entry.
    mutating func insert(_ value: Value, for key: Key, lifetime: Duration, at now: ContinuousClock.Instant) {
        guard lifetime > .zero else {
            entries[key] = nil
            return
        }
        if entries[key] == nil, entries.count >= capacity {
            makeRoom(at: now)
        }
        entries[key] = Entry(value: value, expiry: now.advanced(by: lifetime))
    }

    mutating func removeAll() {
        entries.removeAll()
    }

    /// Drops expired entries; if that frees nothing, the quarter of the
    /// entries closest to expiry, so that a full cache costs one sort per
    /// `capacity / 4` insertions.
    private mutating func makeRoom(at now: ContinuousClock.Instant) {
        entries = entries.filter { $0.value.expiry > now }
        guard entries.count >= capacity else { return }
        let victims = entries.sorted { $0.value.expiry < $1.value.expiry }.prefix(max(1, capacity / 4))
        for (key, _) in victims {
            entries[key] = nil
        }
    }
}
