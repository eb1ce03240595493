/// Picks the enhanced status code (RFC 3463) a bounce means, from its Status field and the diagnostic text.
enum StatusCodeChoice {
    // RFC 3463 §2: status-code = class "." subject "." detail. Subjects 0 to 7 are defined (§3.1–3.8).
    /// The first enhanced code standing alone in `text`, in order of appearance. The catch-all codes (x.0.0,
    /// "other undefined status") and 4.4.7 ("delivery time expired", which only says the queue gave up)
    /// are taken only when the text has no other code: a more specific code usually follows them.
    static func fromDiagnostic(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in
            var fallback: String?
            return afterReplyCode(bytes) ?? scan(bytes, fallback: &fallback) ?? fallback
        }
    }

    // RFC 2034 §4: the enhanced code follows the reply code ("550 5.1.1 …", "550-5.7.1 …", "550 #5.1.0").
    /// The code right after the first reply code that has one, unless it is a catch-all x.0.0.
    private static func afterReplyCode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
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
                if after > index + 3 && after + 4 < bytes.count && bytes[after] == first && bytes[after + 1] == 0x2E {
                    var ignored: String?
                    let window = UnsafeBufferPointer(rebasing: bytes[after..<min(bytes.count, after + 8)])
                    if let code = scan(window, fallback: &ignored), window.starts(with: code.utf8) { return code }
                }
            }
            index += 1
        }
        return nil
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, fallback: inout String?) -> String? {
        var index = 0
        let count = bytes.count
        while index + 4 < count {
            let first = bytes[index]
            guard first == 0x32 || first == 0x34 || first == 0x35, bytes[index + 1] == 0x2E else {
                index += 1
                continue
            }
            if index > 0 {
                let before = bytes[index - 1]
                // Part of a number, an IP address or a version ("v5.1.2").
                if TextScanner.isDigit(before) || before == 0x2E || before == 0x2F || before == 0x2D
                    || before == 0x56 || before == 0x76
                {
                    index += 1
                    continue
                }
            }
            let subject = bytes[index + 2]
            guard subject >= 0x30 && subject <= 0x37, bytes[index + 3] == 0x2E, TextScanner.isDigit(bytes[index + 4])
            else {
                index += 1
                continue
            }
            var end = index + 5
            while end < count && end < index + 7 && TextScanner.isDigit(bytes[end]) { end += 1 }
            if end < count
                && (TextScanner.isDigit(bytes[end])
                    || (bytes[end] == 0x2E && end + 1 < count
                        && TextScanner.isDigit(bytes[end + 1])))
            {
                index = end
                continue
            }
            let code = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
            if code.hasSuffix(".0.0") && end - index == 5 || code == "4.4.7" {
                fallback = code
            } else if first != 0x32 {
                return code
            }
            index = end
        }
        return nil
    }

    /// A code that names a specific condition: class 4 or 5, a non-zero subject and detail (`5.1.1`, `4.2.2`,
    /// not `5.0.0`, `5.7.0` or `4.4.10`). Such a code in the server's own reply outranks the reporting MTA's
    /// Status field, which often only repeats a generic code.
    static func isSpecific(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count >= 5, bytes[0] == 0x34 || bytes[0] == 0x35, bytes[1] == 0x2E,
            bytes[2] >= 0x31 && bytes[2] <= 0x39, bytes[3] == 0x2E
        else { return false }
        return bytes[4...].allSatisfy { $0 >= 0x31 && $0 <= 0x39 }
    }
}
