/// Picks the enhanced status code a diagnostic text means, when it quotes several.
enum StatusCodeChoice {
    // RFC 2034 §4: the enhanced code follows the reply code ("550 5.1.1 …", "550-5.7.1 …").
    /// The code that directly follows a reply code, else the first code in the text.
    static func fromDiagnostic(_ text: String) -> String? {
        guard !text.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        var index = 0
        while index + 4 < bytes.count {
            let first = bytes[index]
            if (first == 0x34 || first == 0x35) && TextScanner.isDigit(bytes[index + 1])
                && TextScanner.isDigit(bytes[index + 2]) && (index == 0 || !TextScanner.isDigit(bytes[index - 1]))
            {
                var after = index + 3
                while after < bytes.count && (bytes[after] == 0x20 || bytes[after] == 0x2D || bytes[after] == 0x27) {
                    after += 1
                }
                if after > index + 3 && after < bytes.count && bytes[after] == first {
                    let tail = String(decoding: bytes[after..<min(bytes.count, after + 12)], as: UTF8.self)
                    if let status = TextScanner.enhancedStatus(in: tail), tail.hasPrefix(status) { return status }
                }
            }
            index += 1
        }
        return TextScanner.enhancedStatus(in: text)
    }
}
