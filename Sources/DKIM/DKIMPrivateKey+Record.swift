extension DKIMPrivateKey {
    /// The key record to publish for this key (RFC 6376 §3.6.1; RFC 8463 §4): `v=DKIM1; k=rsa; p=...`.
    /// `h=` is left out (all hashes allowed; RFC 8301 already rules out sha1), as is `t=`.
    public var keyRecordText: String {
        "v=DKIM1; k=\(keyType.rawValue); p=\(DKIMBase64.encode(publicKeyData))"
    }
}

extension DKIMZoneText {
    /// A zone-file line publishing `text` as TXT at `name` (RFC 1035 §3.3.14): the text is cut into
    /// character-strings of at most 255 octets, which receivers concatenate (RFC 6376 §3.6.2.2).
    public static func txtRecordLine(name: String, text: String, ttl: Int? = nil) -> String {
        let bytes = Array(text.utf8)
        var strings: [String] = []
        var index = 0
        repeat {
            let end = min(index + 255, bytes.count)
            let chunk = String(decoding: bytes[index..<end], as: UTF8.self)
            strings.append("\"" + chunk.replacingEach("\\", with: "\\\\").replacingEach("\"", with: "\\\"") + "\"")
            index = end
        } while index < bytes.count
        let owner = DKIMDomain.normalized(name) + "."
        let ttlText = ttl.map { " \($0)" } ?? ""
        if strings.count == 1 {
            return "\(owner)\(ttlText) IN TXT \(strings[0])"
        }
        return "\(owner)\(ttlText) IN TXT ( " + strings.joined(separator: "\n\t") + " )"
    }
}

extension String {
    fileprivate func replacingEach(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
