/// One `esmtp-param` of MAIL or RCPT (RFC 5321 §4.1.2).
struct ESMTPParameter: Hashable, Sendable {
    /// Upper-cased: keywords are case-insensitive.
    var keyword: String
    var value: String?

    func requiredValue() throws(SMTPCommandError) -> String {
        guard let value else { throw .invalidParameter("\(keyword) requires a value") }
        return value
    }

    func requireNoValue() throws(SMTPCommandError) {
        guard value == nil else { throw .invalidParameter("\(keyword) takes no value") }
    }

    // RFC 5321 §4.1.2:
    //   esmtp-param   = esmtp-keyword ["=" esmtp-value]
    //   esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
    //   esmtp-value   = 1*(%d33-60 / %d62-126)
    // RFC 6531 §3.3: esmtp-value =/ UTF8-non-ascii
    /// Splits `SP esmtp-param *(SP esmtp-param)`; runs of spaces are tolerated. A repeated keyword is an error.
    static func parseList(_ bytes: ArraySlice<UInt8>) throws(SMTPCommandError) -> [ESMTPParameter] {
        var parameters: [ESMTPParameter] = []
        var seen: Set<String> = []
        for token in bytes.split(separator: ASCII.space) {
            let equals = token.firstIndex(of: ASCII.equals)
            let keywordBytes = token[token.startIndex..<(equals ?? token.endIndex)]
            guard let first = keywordBytes.first, ASCII.isLetDig(first),
                keywordBytes.allSatisfy({ ASCII.isLetDig($0) || $0 == ASCII.hyphen })
            else {
                throw .syntax("Malformed parameter")
            }
            let keyword = String(decoding: keywordBytes.map(ASCII.uppercased), as: UTF8.self)
            var value: String?
            if let equals {
                let valueBytes = token[(equals + 1)...]
                guard !valueBytes.isEmpty, valueBytes.allSatisfy({ $0 >= 33 && $0 != ASCII.equals && $0 != 127 }),
                    let text = ASCII.validString(valueBytes)
                else {
                    throw .invalidParameter("Malformed \(keyword) value")
                }
                value = text
            }
            guard seen.insert(keyword).inserted else { throw .invalidParameter("Duplicate \(keyword) parameter") }
            parameters.append(ESMTPParameter(keyword: keyword, value: value))
        }
        return parameters
    }
}
