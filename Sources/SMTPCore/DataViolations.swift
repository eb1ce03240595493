/// What was wrong with the DATA-phase octets; the session decides what to refuse.
public struct DataViolations: Hashable, Sendable {
    /// An LF not preceded by CR (RFC 5321 §2.3.8; SMTP smuggling, CVE-2023-51764).
    public var bareLF: Bool
    /// A CR not followed by LF (RFC 5321 §2.3.8).
    public var bareCR: Bool
    /// A line longer than the text line limit, CRLF included (RFC 5321 §4.5.3.1.6).
    public var lineTooLong: Bool
    /// The message exceeds the size limit (RFC 1870 §6.3, RFC 5321 §4.5.3.1.10).
    public var sizeExceeded: Bool

    public init(bareLF: Bool = false, bareCR: Bool = false, lineTooLong: Bool = false, sizeExceeded: Bool = false) {
        self.bareLF = bareLF
        self.bareCR = bareCR
        self.lineTooLong = lineTooLong
        self.sizeExceeded = sizeExceeded
    }

    public var isEmpty: Bool { !bareLF && !bareCR && !lineTooLong && !sizeExceeded }
}
