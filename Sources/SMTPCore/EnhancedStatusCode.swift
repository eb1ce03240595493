/// An enhanced mail system status code, `class.subject.detail` (RFC 3463 §2).
public struct EnhancedStatusCode: Hashable, Sendable, CustomStringConvertible {
    /// 2 (success), 4 (persistent transient failure) or 5 (permanent failure).
    public var klass: Int
    public var subject: Int
    public var detail: Int

    public init(_ klass: Int, _ subject: Int, _ detail: Int) {
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }

    // RFC 3463 §2:
    //   status-code = class "." subject "." detail
    //   class       = "2" / "4" / "5"
    //   subject     = 1*3digit
    //   detail      = 1*3digit
    /// Parses "5.1.1"; nil when the text is not exactly an enhanced status code.
    public init?(_ text: some StringProtocol) {
        var parts: [Int] = []
        var digits = 0
        var value = 0
        for byte in text.utf8 {
            if ASCII.isDigit(byte) {
                digits += 1
                guard digits <= 3 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            } else if byte == ASCII.dot {
                guard digits > 0, parts.count < 2 else { return nil }
                parts.append(value)
                digits = 0
                value = 0
            } else {
                return nil
            }
        }
        guard digits > 0, parts.count == 2 else { return nil }
        parts.append(value)
        guard [2, 4, 5].contains(parts[0]), parts[0] < 10 else { return nil }
        self.init(parts[0], parts[1], parts[2])
    }

    public var description: String {
        "\(klass).\(subject).\(detail)"
    }
}
