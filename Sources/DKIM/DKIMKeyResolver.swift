/// The answer to a TXT query for a key record (RFC 6376 §3.6.2.2).
public enum DKIMTXTLookupResult: Sendable, Equatable {
    /// The TXT records at the name, each with its character-strings already concatenated.
    case records([String])
    /// NXDOMAIN or no TXT records: maps to `permerror` ("no key for signature", RFC 6376 §6.1.2).
    case notFound
    /// Timeout, SERVFAIL and the like: maps to `temperror` (RFC 6376 §6.1.2 "TEMPFAIL (key unavailable)").
    case temporaryFailure(String)
}

/// Looks up DKIM key records: TXT at `selector._domainkey.domain` (RFC 6376 §3.6.2.1).
///
/// Petrel's DNS implementation (ldns, run off the event loop) conforms to this; tests and the `petrel dkim`
/// commands use `StaticDKIMKeyResolver`.
public protocol DKIMKeyResolver: Sendable {
    /// TXT records at `name` (e.g. `brisbane._domainkey.example.com`, no trailing dot, lower-cased).
    func lookupTXT(_ name: String) async -> DKIMTXTLookupResult
}

extension DKIMKeyRecord {
    /// The query name for a selector and domain (RFC 6376 §3.6.2.1).
    public static func queryName(selector: String, domain: String) -> String {
        asciiLowercased(selector) + "._domainkey." + DKIMDomain.normalized(domain)
    }
}

/// Key records held in memory: for tests, the command line (`--key-record`) and zone-file text.
public struct StaticDKIMKeyResolver: DKIMKeyResolver {
    /// Name (lower-cased, no trailing dot) → TXT records.
    public var records: [String: [String]]
    /// Names that answer with a temporary failure, to exercise `temperror`.
    public var failingNames: Set<String>

    public init(records: [String: [String]] = [:], failingNames: Set<String> = []) {
        self.records = [:]
        self.failingNames = Set(failingNames.map(DKIMDomain.normalized))
        for (name, texts) in records {
            self.records[DKIMDomain.normalized(name), default: []].append(contentsOf: texts)
        }
    }

    /// One record per name, as in the corpus `keys.json` files.
    public init(single records: [String: String]) {
        self.init(records: records.mapValues { [$0] })
    }

    public mutating func add(name: String, record: String) {
        records[DKIMDomain.normalized(name), default: []].append(record)
    }

    public func lookupTXT(_ name: String) async -> DKIMTXTLookupResult {
        lookupTXTSynchronously(name)
    }

    public func lookupTXTSynchronously(_ name: String) -> DKIMTXTLookupResult {
        let key = DKIMDomain.normalized(name)
        if failingNames.contains(key) { return .temporaryFailure("lookup of \(key) failed") }
        guard let texts = records[key], !texts.isEmpty else { return .notFound }
        return .records(texts)
    }
}
