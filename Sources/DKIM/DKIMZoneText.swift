/// Reads TXT records from zone-file text (RFC 1035 §5.1), as `opendkim-genkey` and `petrel dkim keygen` print
/// them and as operators paste them:
///
///     $ORIGIN example.com.
///     sel._domainkey  3600 IN TXT ( "v=DKIM1; k=rsa; "
///                                   "p=MIIBIjANBgkq..." )  ; comment
///     ed._domainkey.example.org. IN TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfV..."
///
/// Supported: `$ORIGIN`, `$TTL` (ignored), `@`, relative and absolute owner names, a blank owner (repeats the
/// previous one), optional TTL and class, parentheses across lines, `;` comments, quoted character-strings with
/// `\"`, `\\` and `\DDD` escapes. Records of other types are skipped.
public enum DKIMZoneText {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// (owner name without trailing dot, concatenated TXT text) pairs, in order.
    public static func txtRecords(in text: String) throws(ParseError) -> [(name: String, text: String)] {
        var results: [(name: String, text: String)] = []
        var origin: String?
        var previousOwner: String?
        for entry in try entries(text) {
            var tokens = entry.tokens
            guard let first = tokens.first else { continue }
            if !first.quoted && first.text.hasPrefix("$") {
                if first.text.uppercased() == "$ORIGIN", tokens.count >= 2 {
                    origin = DKIMDomain.normalized(tokens[1].text)
                }
                continue
            }
            let owner: String
            if entry.startsWithBlank {
                guard let previousOwner else { throw ParseError(line: entry.line, message: "record without owner") }
                owner = previousOwner
            } else {
                owner = absoluteName(first.text, origin: origin)
                tokens.removeFirst()
            }
            previousOwner = owner
            // [TTL] [class] type, in either order of TTL and class (RFC 1035 §5.1).
            while let token = tokens.first, !token.quoted,
                token.text.allSatisfy(\.isNumber) || ["IN", "CH", "HS"].contains(token.text.uppercased())
            {
                tokens.removeFirst()
            }
            guard let type = tokens.first, !type.quoted else {
                throw ParseError(line: entry.line, message: "record without a type")
            }
            guard type.text.uppercased() == "TXT" else { continue }
            let strings = tokens.dropFirst()
            guard !strings.isEmpty else { throw ParseError(line: entry.line, message: "TXT record without text") }
            results.append((owner, strings.map(\.text).joined()))
        }
        return results
    }

    /// A resolver answering with the TXT records of `text`.
    public static func resolver(_ text: String) throws(ParseError) -> StaticDKIMKeyResolver {
        var resolver = StaticDKIMKeyResolver()
        for record in try txtRecords(in: text) {
            resolver.add(name: record.name, record: record.text)
        }
        return resolver
    }

    private static func absoluteName(_ name: String, origin: String?) -> String {
        if name == "@" { return origin ?? "" }
        if name.hasSuffix(".") { return DKIMDomain.normalized(name) }
        guard let origin, !origin.isEmpty else { return DKIMDomain.normalized(name) }
        return DKIMDomain.normalized(name) + "." + origin
    }

    private struct Token {
        var text: String
        var quoted: Bool
    }

    private struct Entry {
        var tokens: [Token]
        var startsWithBlank: Bool
        var line: Int
    }

    /// Splits the text into entries (logical lines: parentheses join physical lines) of tokens.
    private static func entries(_ text: String) throws(ParseError) -> [Entry] {
        var entries: [Entry] = []
        var current = Entry(tokens: [], startsWithBlank: false, line: 1)
        var depth = 0
        var line = 1
        var bytes = Array(text.utf8)[...]
        var atLineStart = true
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "\n"):
                if depth == 0 {
                    if !current.tokens.isEmpty { entries.append(current) }
                    current = Entry(tokens: [], startsWithBlank: false, line: line + 1)
                    atLineStart = true
                }
                line += 1
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                if atLineStart && depth == 0 && current.tokens.isEmpty && byte != UInt8(ascii: "\r") {
                    current.startsWithBlank = true
                }
            case UInt8(ascii: ";"):
                while let next = bytes.first, next != UInt8(ascii: "\n") { bytes.removeFirst() }
            case UInt8(ascii: "("):
                depth += 1
            case UInt8(ascii: ")"):
                guard depth > 0 else { throw ParseError(line: line, message: "unbalanced \")\"") }
                depth -= 1
            case UInt8(ascii: "\""):
                current.tokens.append(Token(text: try quotedString(&bytes, line: line), quoted: true))
            default:
                var word = [byte]
                while let next = bytes.first, !" \t\r\n;()\"".utf8.contains(next) {
                    word.append(next)
                    bytes.removeFirst()
                }
                current.tokens.append(Token(text: String(decoding: word, as: UTF8.self), quoted: false))
            }
            atLineStart = false
        }
        guard depth == 0 else { throw ParseError(line: line, message: "unclosed \"(\"") }
        if !current.tokens.isEmpty { entries.append(current) }
        return entries
    }

    // RFC 1035 §5.1: \X is X; \DDD is the octet with decimal value DDD.
    private static func quotedString(_ bytes: inout ArraySlice<UInt8>, line: Int) throws(ParseError) -> String {
        var value: [UInt8] = []
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let next = bytes.popFirst() else { break }
                if (0x30...0x39).contains(next), bytes.count >= 2,
                    bytes.prefix(2).allSatisfy({ (0x30...0x39).contains($0) })
                {
                    let digits = [next] + bytes.prefix(2)
                    bytes.removeFirst(2)
                    guard let octet = UInt8(String(decoding: digits, as: UTF8.self)) else {
                        throw ParseError(line: line, message: "bad \\DDD escape")
                    }
                    value.append(octet)
                } else {
                    value.append(next)
                }
            default:
                value.append(byte)
            }
        }
        throw ParseError(line: line, message: "unterminated quoted string")
    }
}
