import NIOCore
import Testing

@testable import SMTPCore

/// The one-line fast paths of `SMTPReply` against the Character-level rules they skip.
@Suite struct SMTPReplyFastPathTests {
    /// Texts from pieces that include every kind of line break `Character.isNewline` knows.
    static func randomText(_ generator: inout SystemRandomNumberGenerator) -> String {
        let pieces = ["a", "OK", " ", "\r", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "é", "-", "2.0.0"]
        return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            .joined()
    }

    /// The wire form as the Character-level rules give it.
    static func reference(_ code: Int, _ enhanced: EnhancedStatusCode?, _ lines: [String]) -> String {
        let lines = lines.isEmpty ? [""] : lines
        var wire = ""
        for (index, line) in lines.enumerated() {
            let text = String(line.map { $0.isNewline ? " " : $0 })
            let content = enhanced.map { text.isEmpty ? $0.description : $0.description + " " + text } ?? text
            wire += String(code)
            if index < lines.count - 1 {
                wire += "-" + content
            } else if !content.isEmpty {
                wire += " " + content
            }
            wire += "\r\n"
        }
        return wire
    }

    @Test func linesAndWireFormMatchTheCharacterRules() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let text = Self.randomText(&generator)
            let enhanced: EnhancedStatusCode? = Bool.random(using: &generator) ? .success : nil
            let reply = SMTPReply(code: 250, enhanced: enhanced, text)
            let expectedLines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                .map(String.init)
            #expect(reply.lines == expectedLines, "\(Array(text.unicodeScalars))")
            #expect(reply.wireText == Self.reference(250, enhanced, expectedLines))
            // Lines given as they are, with breaks inside, are cleaned on the wire.
            let raw = SMTPReply(code: 550, enhanced: enhanced, lines: [text, text])
            #expect(raw.wireText == Self.reference(550, enhanced, [text, text]))
        }
    }
}
