/// Finds status codes and addresses in free text (diagnostic lines, human-readable bounce text).
enum TextScanner {
    // RFC 3463 §2: status-code = class "." subject "." detail; class = "2"/"4"/"5",
    // subject = 1*3digit, detail = 1*3digit.
    /// The first enhanced status code in `text` that stands alone (not part of an IP address or version).
    static func enhancedStatus(in text: String) -> String? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if (byte == 0x32 || byte == 0x34 || byte == 0x35) && (index == 0 || !isDigitOrDot(bytes[index - 1])) {
                if let end = statusEnd(bytes, from: index) {
                    return String(decoding: bytes[index..<end], as: UTF8.self)
                }
            }
            index += 1
        }
        return nil
    }

    private static func statusEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        for _ in 0..<2 {
            guard index < bytes.count && bytes[index] == 0x2E else { return nil }
            index += 1
            let digitsStart = index
            while index < bytes.count && isDigit(bytes[index]) && index - digitsStart < 4 { index += 1 }
            let count = index - digitsStart
            guard count >= 1 && count <= 3 else { return nil }
        }
        if index < bytes.count {
            let next = bytes[index]
            if isDigit(next) || isLetter(next) { return nil }
            if next == 0x2E && index + 1 < bytes.count && isDigit(bytes[index + 1]) { return nil }
        }
        return index
    }

    // RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39
    /// The first three-digit 4xx/5xx reply code standing alone as a word (followed by space, "-", a comma that
    /// does not separate thousands, or the end).
    static func replyCode(in text: String) -> Int? {
        let bytes = Array(text.utf8)
        var index = 0
        while index + 2 < bytes.count {
            let first = bytes[index]
            if (first == 0x34 || first == 0x35) && isDigit(bytes[index + 1]) && isDigit(bytes[index + 2]) {
                let before = index == 0 ? 0x20 : bytes[index - 1]
                let after = index + 3 < bytes.count ? bytes[index + 3] : 0x20
                let cleanBefore = !isDigitOrDot(before) && !isLetter(before) && before != 0x2D && before != 0x23
                // "550 …", "550-…" (RFC 5321 §4.2.1) and, in some providers' prose, "ERROR_CODE :421, …" (but
                // not "1,550,000").
                let thousands = after == 0x2C && index + 4 < bytes.count && isDigit(bytes[index + 4])
                let cleanAfter =
                    after == 0x20 || after == 0x2D || after == 0x0A || after == 0x09 || (after == 0x2C && !thousands)
                if cleanBefore && cleanAfter && bytes[index + 1] <= 0x35 {
                    return Int(first - 0x30) * 100 + Int(bytes[index + 1] - 0x30) * 10 + Int(bytes[index + 2] - 0x30)
                }
            }
            index += 1
        }
        return nil
    }

    /// Every e-mail address in `text`, lower-cased, in order of appearance, without duplicates.
    static func addresses(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x40, let (address, end) = address(around: index, in: bytes) {
                if !result.contains(address) { result.append(address) }
                index = end
            } else {
                index += 1
            }
        }
        return result
    }

    // RFC 5322 §3.4.1: addr-spec = local-part "@" domain (dot-atom forms only; quoted local parts are rare
    // in bounces and are not recognised).
    private static func address(around at: Int, in bytes: [UInt8]) -> (String, Int)? {
        var start = at
        while start > 0 && isLocalChar(bytes[start - 1]) { start -= 1 }
        while start < at && bytes[start] == 0x2E { start += 1 }
        // A quote that opens a quoted address ('user@example') or a file path in front of it ("/home/u/.forward
        // user@example", Exim's pipe and file deliveries) is not part of the local part.
        while start < at && (bytes[start] == 0x27 || bytes[start] == 0x60) { start += 1 }
        if bytes[start] == 0x2F, let slash = bytes[start..<at].lastIndex(of: 0x2F) { start = slash + 1 }
        var end = at + 1
        while end < bytes.count && isDomainChar(bytes[end]) { end += 1 }
        while end > at + 1 && (bytes[end - 1] == 0x2E || bytes[end - 1] == 0x2D) { end -= 1 }
        let domain = bytes[(at + 1)..<end]
        guard start < at, domain.count >= 3, domain.contains(0x2E), domain.first != 0x2E else { return nil }
        guard let last = domain.last, isLetter(last) || isDigit(last) else { return nil }
        let local = bytes[start..<at]
        let text = String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain, as: UTF8.self)
        return (text.lowercased(), end)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isDigitOrDot(_ byte: UInt8) -> Bool { isDigit(byte) || byte == 0x2E }

    private static func isLocalChar(_ byte: UInt8) -> Bool {
        if isDigit(byte) || isLetter(byte) { return true }
        switch byte {
        case 0x2E, 0x2D, 0x5F, 0x2B, 0x3D, 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2F, 0x3F, 0x5E, 0x60,
            0x7B, 0x7C, 0x7D, 0x7E:
            return true
        default: return byte >= 0x80
        }
    }

    private static func isDomainChar(_ byte: UInt8) -> Bool {
        isDigit(byte) || isLetter(byte) || byte == 0x2E || byte == 0x2D || byte == 0x5F
    }

    /// A multi-line SMTP reply joined into one line ("550-5.7.1 Messages with multiple 550 5.7.1 addresses
    /// in From: …", RFC 5321 §4.2.1) without the reply code and status repeated at each continuation.
    static func withoutContinuationCodes(_ text: String) -> String {
        guard let code = replyCode(in: text) else { return text }
        let bytes = Array(text.utf8)
        let digits = Array(String(code).utf8)
        // Only a reply that repeats its code has continuations to remove.
        var seen = 0
        for index in 0..<max(0, bytes.count - 2)
        where bytes[index] == digits[0] && bytes[index + 1] == digits[1] && bytes[index + 2] == digits[2] {
            seen += 1
        }
        guard seen > 1 else { return text }
        var prefixes = [digits + [0x2D], digits + [0x20]]
        if let status = enhancedStatus(in: text) {
            let code = Array(status.utf8)
            prefixes = [digits + [0x2D] + code + [0x20], digits + [0x20] + code + [0x20]] + prefixes
        }
        // The first prefix kept; at one position the longer, listed first, wins.
        var firstEnd: Int?
        var firstStart = Int.max
        for prefix in prefixes {
            if let end = PhraseSearch.end(of: prefix, in: bytes), end - prefix.count < firstStart {
                firstStart = end - prefix.count
                firstEnd = end
            }
        }
        guard let firstEnd else { return text }
        var rest = Array(bytes[firstEnd...])
        for prefix in prefixes { rest = replacingAll([0x20] + prefix, in: rest) }
        return String(decoding: bytes[..<firstEnd] + rest, as: UTF8.self)
    }

    /// `bytes` with every occurrence of `needle`, left to right and not overlapping, replaced by one space.
    private static func replacingAll(_ needle: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == needle[0], index + needle.count <= bytes.count,
                bytes[index..<(index + needle.count)].elementsEqual(needle)
            {
                output.append(0x20)
                index += needle.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    /// Collapses runs of white space (including line breaks) into single spaces and trims the ends.
    static func oneLine(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        oneLine(bytes: UnsafeBufferPointer(rebasing: bytes))
    }

    static func oneLine(_ text: some StringProtocol) -> String {
        if let result = text.utf8.withContiguousStorageIfAvailable(oneLine(bytes:)) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(oneLine(bytes:))
    }

    private static func oneLine(bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { output in
            var count = 0
            var pendingSpace = false
            for byte in bytes {
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    pendingSpace = count > 0
                } else {
                    if pendingSpace {
                        output[count] = 0x20
                        count += 1
                        pendingSpace = false
                    }
                    output[count] = byte
                    count += 1
                }
            }
            return count
        }
    }
}
