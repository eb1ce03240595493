import Testing

@testable import MailMessage

/// `ReceivedHeader.sanitized`'s UTF-8 fast path against the per-scalar rule.
@Suite struct ReceivedHeaderSanitizeTests {
    static func reference(_ text: String, inComment: Bool) -> String {
        let replaced = String(
            text.unicodeScalars.map { scalar -> Character in
                let bad =
                    scalar.value < 0x20 || scalar.value == 0x7F || (!inComment && scalar == " ")
                    || (inComment && (scalar == "(" || scalar == ")" || scalar == "\\"))
                return bad ? "?" : Character(scalar)
            })
        return replaced.isEmpty ? "?" : replaced
    }

    @Test func fastPathMatchesTheRule() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["mail", ".", "example", " ", "(", ")", "\\", "\t", "\u{7F}", "\r\n", "é", "日本", "[", "]", ":"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }.joined()
            for inComment in [false, true] {
                #expect(
                    ReceivedHeader.sanitized(text, inComment: inComment) == Self.reference(text, inComment: inComment))
            }
        }
    }
}
