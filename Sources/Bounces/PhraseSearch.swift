/// Fast case-insensitive phrase search on UTF-8 bytes (ASCII case folding), for the reason tables.
enum PhraseSearch {
    static func lowercasedBytes(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        for index in bytes.indices where bytes[index] >= 0x41 && bytes[index] <= 0x5A {
            bytes[index] += 0x20
        }
        return bytes
    }

    /// Whether `text`'s UTF-8 contains `needle` (case-sensitive), without copying the text.
    static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { contains($0, needle) }
    }

    /// Whether `text` contains `needle` (lower-case ASCII bytes) in any letter case, without copying the text.
    static func containsIgnoringCase(_ text: String, _ needle: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { hay in
            guard let first = needle.first, needle.count <= hay.count else { return needle.isEmpty }
            var index = 0
            while index + needle.count <= hay.count {
                if lowered(hay[index]) == first {
                    var matched = 1
                    while matched < needle.count && lowered(hay[index + matched]) == needle[matched] { matched += 1 }
                    if matched == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    @inline(__always) static func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { contains($0, needle) }
    }

    static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= hay.count else { return needle.isEmpty }
        return needle.withUnsafeBufferPointer { pin in
            let last = hay.count - pin.count
            var index = 0
            while index <= last {
                if hay[index] == first {
                    var matched = 1
                    while matched < pin.count && hay[index + matched] == pin[matched] { matched += 1 }
                    if matched == pin.count { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// The offset just after the first occurrence of `needle` in `haystack`, if any.
    static func end(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }
}
