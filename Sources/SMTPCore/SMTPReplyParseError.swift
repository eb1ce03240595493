/// Why a server reply could not be parsed (RFC 5321 §4.2).
public enum SMTPReplyParseError: Error, Hashable, Sendable {
    /// A reply line longer than the limit, line ending included (RFC 5321 §4.5.3.1.5).
    case lineTooLong
    /// More continuation lines than the parser accepts.
    case tooManyLines
    /// The line does not start with a three-digit code 2yz-5yz (RFC 5321 §4.2).
    case invalidCode
    /// The code is not followed by SP, "-" or the line end.
    case invalidSeparator
    /// A continuation line carries a different code from the first line (RFC 5321 §4.2.1).
    case inconsistentCode(expected: Int, found: Int)
}
