/// Reads one response for (name, type): the records, an alias to follow, or
/// the error it stands for. Pure; the rules:
///
/// - RFC 1034 §3.6.2: a CNAME at the name means the records are at the
///   target; a recursive server returns the chain and the records together.
/// - RFC 2308 §2.1, §2.2: NXDOMAIN is RCODE 3; NODATA is NOERROR with no
///   record of the type at the (final) name.
/// - RFC 6604 §3: with CNAMEs, the RCODE is about the last name of the chain.
/// - RFC 2308 §5: a negative answer lives min(SOA TTL, SOA MINIMUM).
enum DNSResponseInterpreter {
    /// What a response says.
    enum Step<Record: Sendable>: Sendable {
        /// The records of the type at `owner` (the name asked, or the end of
        /// its CNAME chain), with the smallest TTL of records and chain.
        case records([Record], ttl: UInt32, owner: String)
        /// The chain ends at `target` and the response holds no record for
        /// it: ask the target.
        case alias(String, ttl: UInt32)
    }

    /// Longest CNAME chain accepted in one response.
    static let maximumChainLength = 8

    /// - Parameters:
    ///   - name: the name the query was for (normalised).
    ///   - reportedName: the name errors carry (what the caller asked).
    ///   - extract: the record value from a record's data, `nil` to skip it.
    static func interpret<Record: Sendable>(
        _ response: DNSResponse,
        name: String,
        type: DNSRecordType,
        reportedName: String,
        extract: (DNSResourceRecord.RecordData) -> Record?
    ) throws(DNSError) -> Step<Record> {
        if let question = response.question, question.name != name || question.type != type {
            throw .malformed(reportedName)
        }
        var owner = name
        var chainTTL = UInt32.max
        var visited: Set<String> = [name]
        while let alias = response.answers.first(where: { $0.name == owner && $0.type == .cname }) {
            guard case .cname(let target) = alias.data, visited.count <= maximumChainLength,
                visited.insert(target).inserted
            else {
                throw .malformed(reportedName)
            }
            chainTTL = min(chainTTL, alias.ttl)
            owner = target
        }
        switch response.code {
        case .noError:
            break
        case .nameError:
            throw .nxdomain(reportedName, negativeTTL: negativeTTL(of: response))
        case .formatError, .serverFailure, .notImplemented, .refused, .other:
            throw .serverFailure(reportedName)
        }
        var ttl = chainTTL
        var records: [Record] = []
        for record in response.answers where record.name == owner && record.type == type {
            if let value = extract(record.data) {
                records.append(value)
                ttl = min(ttl, record.ttl)
            }
        }
        if !records.isEmpty {
            return .records(records, ttl: ttl, owner: owner)
        }
        if owner != name {
            return .alias(owner, ttl: chainTTL)
        }
        throw .noData(reportedName, negativeTTL: negativeTTL(of: response))
    }

    /// RFC 2308 §5: the TTL of a negative answer is the smaller of the SOA
    /// record's TTL and its MINIMUM field; `nil` without an SOA.
    static func negativeTTL(of response: DNSResponse) -> Duration? {
        for record in response.authority where record.type == .soa {
            if case .soa(let minimum) = record.data {
                return .seconds(Int64(min(record.ttl, minimum)))
            }
        }
        return nil
    }
}
