/// Raw DNS lookups for mail delivery.
///
/// Implementations never block the caller's thread: `LDNSResolver` runs ldns
/// on a thread pool, `CachingResolver` answers from memory or forwards.
/// Names are given without a trailing dot and compared case-insensitively
/// (RFC 4343); every name in a result is lowercased and has no trailing dot.
public protocol DNSResolver: Sendable {
    /// The MX records of `domain` (RFC 1035 §3.3.9), in the order received.
    func mx(_ domain: String) async throws(DNSError) -> DNSAnswer<[MXRecord]>

    /// The A and AAAA records of `host` (RFC 1035 §3.4.1, RFC 3596 §2.1).
    /// When one family fails and the other answers, the answer wins.
    func addresses(_ host: String) async throws(DNSError) -> DNSAnswer<[IPAddressRecord]>

    /// The TXT records of `name`, the character-strings of each record joined
    /// without separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2).
    func txt(_ name: String) async throws(DNSError) -> DNSAnswer<[String]>
}
