/// Message-ID values "<random@domain>" (RFC 5322 §3.6.4).
public enum MessageIDGenerator {
    /// RFC 4648 §6 base32 alphabet.
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    // RFC 5322 §3.6.4:
    //   msg-id  = [CFWS] "<" id-left "@" id-right ">" [CFWS]
    //   id-left = dot-atom-text
    /// 120 random bits as 24 base32 characters, then "@domain".
    /// `random` is copied: pass a fresh generator, or use the `inout` overload to advance a shared one.
    public static func make(domain: String, random: some RandomNumberGenerator) -> String {
        var generator = random
        return make(domain: domain, random: &generator)
    }

    /// Advances `random`, so two calls give two identifiers.
    public static func make(domain: String, random: inout some RandomNumberGenerator) -> String {
        var id: [UInt8] = []
        id.reserveCapacity(24)
        for _ in 0..<2 {
            var bits = random.next()
            for _ in 0..<12 {
                id.append(alphabet[Int(bits & 31)])
                bits >>= 5
            }
        }
        return "<" + String(decoding: id, as: UTF8.self) + "@" + domain + ">"
    }

    /// Uses `SystemRandomNumberGenerator`.
    public static func make(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(domain: domain, random: &generator)
    }
}
