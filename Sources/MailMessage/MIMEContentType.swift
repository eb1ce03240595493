/// A parsed Content-Type field value (RFC 2045 §5.1): `type "/" subtype *(";" parameter)`.
public struct MIMEContentType: Hashable, Sendable {
    /// Lower-cased `type/subtype`, `text/plain` when the field is absent or unreadable (RFC 2045 §5.2).
    public var mediaType: String
    /// Parameters with lower-cased names; quoted values are unquoted.
    public var parameters: [String: String]

    public init(mediaType: String, parameters: [String: String] = [:]) {
        self.mediaType = mediaType
        self.parameters = parameters
    }

    /// RFC 2045 §5.2: the default is `text/plain; charset=us-ascii`.
    public static let textPlain = MIMEContentType(mediaType: "text/plain")

    public var isMultipart: Bool { mediaType.hasPrefix("multipart/") }
    public var boundary: String? { parameters["boundary"] }

    // RFC 2045 §5.1: parameter := attribute "=" value; value := token / quoted-string
    /// Parses a Content-Type value leniently: unknown or broken syntax gives `text/plain`. Works on the UTF-8
    /// bytes (every delimiter is ASCII): bounce parsing reads thousands of these a second.
    public init(parsing value: String) {
        let bytes = Array(value.utf8)
        let segments = Self.splitParameters(bytes)
        let media = Self.lowercased(Self.trimmed(bytes[segments[0]]))
        if media.utf8.contains(UInt8(ascii: "/")) && !media.utf8.contains(UInt8(ascii: " ")) {
            mediaType = media
        } else {
            mediaType = "text/plain"
        }
        var parameters: [String: String] = [:]
        for range in segments.dropFirst() {
            let segment = bytes[range]
            guard let equals = segment.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = Self.lowercased(Self.trimmed(segment[..<equals]))
            let raw = Self.trimmed(segment[(equals + 1)...])
            var valueText: String
            if raw.count >= 2 && raw.first == UInt8(ascii: "\"") && raw.last == UInt8(ascii: "\"") {
                valueText = String(decoding: raw.dropFirst().dropLast(), as: UTF8.self).replacingBackslashEscapes()
            } else {
                valueText = String(decoding: raw, as: UTF8.self)
            }
            if !name.isEmpty && parameters[name] == nil {
                parameters[name] = valueText
            }
        }
        self.parameters = parameters
    }

    /// Ranges between `;` outside quoted strings (at least one).
    private static func splitParameters(_ bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        var quoted = false
        var escaped = false
        for (index, byte) in bytes.enumerated() {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") && quoted {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == UInt8(ascii: ";") && !quoted {
                result.append(start..<index)
                start = index + 1
            }
        }
        result.append(start..<bytes.count)
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    /// ASCII letters folded byte by byte; anything non-ASCII through Unicode case mapping.
    private static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        if bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self).lowercased() }
        return String(
            decoding: bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" || first == "\n" {
            scalars = scalars.dropFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" || last == "\n" {
            scalars = scalars.dropLast()
        }
        return String(String.UnicodeScalarView(scalars))
    }

    func replacingBackslashEscapes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if !escaped && character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            result.append(character)
        }
        return result
    }
}
