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
    /// Parses a Content-Type value leniently: unknown or broken syntax gives `text/plain`.
    public init(parsing value: String) {
        var segments = Self.splitParameters(value)
        let head = segments.isEmpty ? "" : segments.removeFirst()
        let media = head.trimmingSpaces().lowercased()
        if media.contains("/") && !media.contains(" ") {
            mediaType = media
        } else {
            mediaType = "text/plain"
        }
        var parameters: [String: String] = [:]
        for segment in segments {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            let name = segment[..<equals].trimmingSpaces().lowercased()
            var raw = segment[segment.index(after: equals)...].trimmingSpaces()
            if raw.count >= 2 && raw.hasPrefix("\"") && raw.hasSuffix("\"") {
                raw = String(raw.dropFirst().dropLast()).replacingBackslashEscapes()
            }
            if !name.isEmpty && parameters[name] == nil {
                parameters[name] = raw
            }
        }
        self.parameters = parameters
    }

    /// Splits on `;` outside quoted strings.
    private static func splitParameters(_ value: String) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in value {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                result.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        result.append(current)
        return result
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
