/// One lookup of (name, type) through as many queries as its CNAME chain
/// needs, given a blocking `query` function. Pure apart from `query`: the
/// ldns resolver passes its socket round-trip, tests pass canned responses.
enum DNSLookup {
    /// Queries sent for one lookup at most: the name, then chain targets
    /// the server did not resolve itself (RFC 1034 §5.3.3 step 3c).
    static let maximumQueries = 4

    static func run<Record: Sendable>(
        name: String,
        type: DNSRecordType,
        query: (String, DNSRecordType) throws(DNSError) -> DNSResponse,
        extract: (DNSResourceRecord.RecordData) -> Record?
    ) throws(DNSError) -> DNSAnswer<[Record]> {
        var current = name
        var ttl = UInt32.max
        for _ in 0..<maximumQueries {
            let response = try query(current, type)
            let step = try DNSResponseInterpreter.interpret(
                response,
                name: current,
                type: type,
                reportedName: name,
                extract: extract
            )
            switch step {
            case .records(let records, let recordTTL, let owner):
                return DNSAnswer(
                    records: records,
                    ttl: .seconds(Int64(min(ttl, recordTTL))),
                    canonicalName: owner == name ? nil : owner
                )
            case .alias(let target, let chainTTL):
                ttl = min(ttl, chainTTL)
                current = target
            }
        }
        throw .malformed(name)
    }

    static func mx(_ data: DNSResourceRecord.RecordData) -> MXRecord? {
        guard case .mx(let preference, let exchange) = data else { return nil }
        return MXRecord(preference: preference, exchange: exchange)
    }

    static func ipv4(_ data: DNSResourceRecord.RecordData) -> IPAddressRecord? {
        guard case .a(let address) = data else { return nil }
        return .ipv4(address)
    }

    static func ipv6(_ data: DNSResourceRecord.RecordData) -> IPAddressRecord? {
        guard case .aaaa(let address) = data else { return nil }
        return .ipv6(address)
    }

    /// RFC 7208 §3.3, RFC 6376 §3.6.2.2: the strings of one TXT record are
    /// concatenated without separator.
    static func text(_ data: DNSResourceRecord.RecordData) -> String? {
        guard case .txt(let strings) = data else { return nil }
        return String(decoding: strings.joined(), as: UTF8.self)
    }
}
