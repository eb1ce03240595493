/// One resource record of a response (RFC 1035 §4.1.3), its data decoded
/// for the types MailDNS reads.
struct DNSResourceRecord: Sendable, Hashable {
    enum RecordData: Sendable, Hashable {
        case a(String)
        case aaaa(String)
        case cname(String)
        case mx(preference: Int, exchange: String)
        /// Each character-string of the record (RFC 1035 §3.3.14).
        case txt([[UInt8]])
        /// The SOA MINIMUM field, the negative-caching TTL (RFC 2308 §4).
        case soa(minimum: UInt32)
        case other
    }

    /// Owner name, lowercased, without trailing dot.
    var name: String
    var type: DNSRecordType
    var ttl: UInt32
    var data: RecordData
}
