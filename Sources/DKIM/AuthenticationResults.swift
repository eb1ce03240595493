/// Renders an Authentication-Results header field (RFC 8601 §2.2) from DKIM verification results.
public enum AuthenticationResults {
    /// `Authentication-Results: authserv-id; dkim=... ;\r\n dkim=...\r\n`, one resinfo per signature, folded
    /// one per line; `dkim=none` when there is no signature (RFC 8601 §2.7.1).
    public static func field(authservID: String, results: [DKIMVerificationResult]) -> String {
        "Authentication-Results: " + value(authservID: authservID, results: results) + "\r\n"
    }

    /// The field value without the name and the final CRLF.
    public static func value(authservID: String, results: [DKIMVerificationResult]) -> String {
        let resinfos = results.isEmpty ? ["dkim=none"] : results.map(\.authenticationResultsValue)
        return authservID + ";" + resinfos.map { "\r\n\t" + $0 }.joined(separator: ";")
    }

    // RFC 2045 §5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
    private static let tspecials = Set("()<>@,;:\\\"/[]?=".utf8)

    /// A property value: a token, a domain or an address as it is (RFC 8601 §2.2 pvalue), else a quoted-string.
    static func propertyValue(_ value: String) -> String {
        let isDomainOrAddress = value.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "@")
        }
        if isDomainOrAddress && value.utf8.filter({ $0 == UInt8(ascii: "@") }).count <= 1 {
            return value
        }
        let isToken = value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !tspecials.contains($0) }
        return isToken ? value : quoted(value)
    }

    // RFC 5322 §3.2.4: quoted-string; backslash and DQUOTE are escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            if character == "\"" || character == "\\" { result.append("\\") }
            if character == "\r" || character == "\n" { continue }
            result.append(character)
        }
        return result + "\""
    }
}
