import SMTPCore

/// The extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1).
public struct ESMTPCapabilities: Sendable, Hashable {
    /// Keyword (uppercased) → parameters.
    public private(set) var keywords: [String: [String]] = [:]
    /// Whether the server answered EHLO (false after a HELO fallback).
    public var extended: Bool

    public init(ehloReply: SMTPReply?) {
        extended = ehloReply != nil
        guard let ehloReply else { return }
        for line in ehloReply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            keywords[keyword.uppercased()] = Array(words.dropFirst())
        }
    }

    public func has(_ keyword: String) -> Bool { keywords[keyword] != nil }

    public var pipelining: Bool { has("PIPELINING") }
    public var startTLS: Bool { has("STARTTLS") }
    public var eightBitMIME: Bool { has("8BITMIME") }
    public var smtpUTF8: Bool { has("SMTPUTF8") }
    public var dsn: Bool { has("DSN") }
    public var chunking: Bool { has("CHUNKING") }
    public var requireTLS: Bool { has("REQUIRETLS") }

    /// RFC 1870 §4: the server's fixed size limit; nil when SIZE is absent
    /// or has no (or a zero) limit.
    public var maximumSize: Int? {
        guard let parameters = keywords["SIZE"], let first = parameters.first, let size = Int(first), size > 0 else {
            return nil
        }
        return size
    }
}
