import Foundation
import MailMessage
import Testing

@testable import Campaigns

@Suite struct MailComposerTests {
    func text(_ composer: MailComposer) -> String { String(decoding: composer.bytes(), as: UTF8.self) }

    @Test func multipartAlternativeTextFirst() {
        let message = text(
            MailComposer(
                from: "news@example.org", fromName: "Example News", to: "jane@example.com", subject: "Hello Jane",
                messageID: "<abc.c1@example.org>", date: Date(timeIntervalSince1970: 0),
                headers: [("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")], text: "Hi", html: "<p>Hi</p>"))
        #expect(message.hasPrefix("From: \"Example News\" <news@example.org>\r\nTo: <jane@example.com>\r\n"))
        #expect(message.contains("\r\nSubject: Hello Jane\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\n"))
        #expect(message.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        #expect(message.contains("Content-Type: multipart/alternative; boundary=\"=_petrel_abcc1exampleorg\""))
        let text = message.range(of: "text/plain")!.lowerBound
        let html = message.range(of: "text/html")!.lowerBound
        #expect(text < html)
        #expect(message.hasSuffix("--=_petrel_abcc1exampleorg--\r\n"))
        // Every line ends in CRLF: no bare LF.
        #expect(!message.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func headerValuesCannotStartNewFields() {
        let message = text(
            MailComposer(
                from: "a@example.org", to: "b@example.com", subject: "Hi\r\nBcc: evil@example.net",
                messageID: "<x@example.org>", headers: [("X-Note", "one\ntwo")], text: "body"))
        #expect(!message.contains("\r\nBcc:"))
        #expect(message.contains("Subject: Hi Bcc: evil@example.net\r\n"))
        #expect(message.contains("X-Note: one two\r\n"))
    }

    @Test func nonASCIISubjectAndNameAreEncodedWords() {
        let message = text(
            MailComposer(
                from: "a@example.org", fromName: "Zoë", to: "b@example.com", subject: "Café ☕ ready",
                messageID: "<x@example.org>", text: "body"))
        #expect(message.contains("From: =?UTF-8?B?\(Data("Zoë".utf8).base64EncodedString())?= <a@example.org>"))
        #expect(message.contains("Subject: =?UTF-8?B?\(Data("Café ☕ ready".utf8).base64EncodedString())?="))
    }

    @Test func quotedPrintableRoundTripsAndKeepsLinesShort() throws {
        let body = String(repeating: "Ünïcödé = long line with trailing space ", count: 20) + " \nnext line\t\n.dot"
        let bytes = MailComposer(
            from: "a@example.org", to: "b@example.com", subject: "s", messageID: "<x@example.org>", text: body
        ).bytes()
        let message = String(decoding: bytes, as: UTF8.self)
        let start = try #require(message.range(of: "\r\n\r\n")).upperBound
        let encoded = Array(message[start...].utf8)
        for line in message[start...].components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        let decoded = String(decoding: MIMEDecoder.quotedPrintable(encoded[...]), as: UTF8.self)
        #expect(decoded == body.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
    }

    /// Random bodies rich in what quoted-printable treats specially (spaces and tabs before line breaks, "=",
    /// bare CR and LF, controls, non-ASCII, long runs): every output line is at most 76 characters, printable
    /// ASCII, never ends in a space or tab, and the whole decodes back to the body with CRLF line ends.
    @Test func quotedPrintableHoldsItsRulesOnRandomBodies() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("ab =\t\r\n.xyz".utf8) + [0, 0x7F, 0xC3, 0xA9, 0xFF]
        for _ in 0..<500 {
            let length = Int.random(in: 0..<400, using: &generator)
            let body = (0..<length).map { _ in
                Bool.random(using: &generator) ? UInt8(ascii: "k") : alphabet.randomElement(using: &generator)!
            }
            var encoded: [UInt8] = []
            MailComposer.quotedPrintable(body, into: &encoded)
            let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
            for line in lines {
                #expect(line.utf8.count <= 76, "\(body)")
                #expect(line.utf8.allSatisfy { $0 >= 32 && $0 < 127 || $0 == 9 }, "\(body)")
                #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "\(body)")
            }
            var expected: [UInt8] = []
            var index = 0
            while index < body.count {
                if body[index] == 13 || body[index] == 10 {
                    if body[index] == 13, index + 1 < body.count, body[index + 1] == 10 { index += 1 }
                    expected += [13, 10]
                } else {
                    expected.append(body[index])
                }
                index += 1
            }
            #expect(MIMEDecoder.quotedPrintable(encoded[...]) == expected, "\(body)")
        }
    }

    /// The 8-byte scan agrees with the byte-by-byte rule on words built from the bytes at the edges of the
    /// rule (0x1F/0x20/0x21, "<=>", 0x7E/0x7F/0x80, 0xFF), placed anywhere in the word.
    @Test func printableWordAgreesWithTheByteRule() {
        var generator = SystemRandomNumberGenerator()
        let edges: [UInt8] = [0, 9, 0x1F, 0x20, 0x21, 0x3C, 0x3D, 0x3E, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<100_000 {
            let bytes = (0..<8).map { _ in
                Int.random(in: 0..<4, using: &generator) == 0
                    ? edges.randomElement(using: &generator)! : UInt8.random(in: 0x21...0x7E, using: &generator)
            }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let expected = bytes.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x3D }
            #expect(MailComposer.printableWord(word) == expected, "\(bytes)")
        }
    }
}
