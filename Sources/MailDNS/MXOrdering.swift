/// The order in which MX hosts are tried. Pure: randomness comes in.
public enum MXOrdering {
    /// RFC 5321 §5.1: "sort the list of MX RRs in increasing order of
    /// preference"; "if there are multiple destinations with the same
    /// preference … the SMTP client SHOULD randomize them to spread the
    /// load". An exchange listed twice is kept at its lowest preference, and
    /// exchanges that are the root (".", RFC 7505) are dropped: they name no
    /// host.
    public static func ordered(
        _ records: [MXRecord],
        using generator: inout some RandomNumberGenerator
    ) -> [MXRecord] {
        var groups: [Int: [MXRecord]] = [:]
        for record in records where record.exchange != "." {
            groups[record.preference, default: []].append(record)
        }
        var result: [MXRecord] = []
        var seen: Set<String> = []
        for preference in groups.keys.sorted() {
            for record in groups[preference, default: []].shuffled(using: &generator)
            where seen.insert(record.exchange).inserted {
                result.append(record)
            }
        }
        return result
    }

    /// RFC 7505 §3: a domain that accepts no mail publishes exactly one MX,
    /// with preference 0 and the root as exchange.
    public static func isNullMX(_ records: [MXRecord]) -> Bool {
        records.count == 1 && records[0].isNullMX
    }

    /// RFC 5321 §5.1: when the client finds one of its own names in the
    /// list, it "MUST discard that MX RR and all MX RRs with the same or
    /// higher preference value" (the domain is relayed through us).
    /// `records` must be in ascending preference, as `ordered` returns them.
    public static func droppingLocal(_ records: [MXRecord], localNames: Set<String>) -> [MXRecord] {
        guard let local = records.first(where: { localNames.contains($0.exchange) }) else {
            return records
        }
        return records.filter { $0.preference < local.preference }
    }
}
