/// How addresses are made comparable before they are suppressed or looked up: `Jane+news@Example.COM` and
/// `jane@example.com` are one entry when both foldings are on.
///
/// RFC 5321 §2.4 lets a server treat local parts case-sensitively, but practically no mailbox provider does,
/// so case folding is on by default. Plus tags (`local+tag@`) are folded only on request: on some systems the
/// tag selects a different mailbox.
public struct AddressNormalization: Sendable, Hashable {
    public var foldCase: Bool
    public var foldPlusTags: Bool

    public init(foldCase: Bool = true, foldPlusTags: Bool = false) {
        self.foldCase = foldCase
        self.foldPlusTags = foldPlusTags
    }

    /// The normalised form: surrounding angle brackets and spaces removed, the domain always lower case,
    /// the local part folded as configured. Returns the input unchanged (no copy) when nothing changes.
    public func normalize(_ address: String) -> String {
        var utf8 = address.utf8
        var needsWork = false
        var seenAt = false
        var ascii = true
        for byte in utf8 {
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "@") { seenAt = true }
            if (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") && (foldCase || seenAt))
                || (byte == UInt8(ascii: "+") && foldPlusTags && !seenAt)
                || byte == UInt8(ascii: "<") || byte == UInt8(ascii: " ")
            {
                needsWork = true
            }
        }
        if ascii && !needsWork { return address }
        if ascii { return normalizeASCII(address) }
        var text = address.trimmingSpacesAndBrackets()
        utf8 = text.utf8
        guard let at = utf8.lastIndex(of: UInt8(ascii: "@")) else {
            return foldCase ? text.lowercased() : text
        }
        var local = String(text[..<at])
        let domain = String(text[text.index(after: at)...]).lowercased()
        if foldPlusTags, !local.hasPrefix("\""), let plus = local.firstIndex(of: "+"), plus != local.startIndex {
            local = String(local[..<plus])
        }
        if foldCase { local = local.lowercased() }
        text = local + "@" + domain
        return text
    }
}

extension AddressNormalization {
    /// `FingerprintSet.fingerprint(normalize(address))` without building the normalised string when the
    /// address is ASCII: the lookup of an address that is not listed allocates nothing.
    public func fingerprint(_ address: String) -> UInt64 {
        let hash = address.utf8.withContiguousStorageIfAvailable { bytes -> UInt64? in
            var hasher = FingerprintSet.Hasher()
            return forEachNormalizedASCIIByte(bytes) { hasher.combine($0) } ? hasher.finish() : nil
        }
        return (hash ?? nil) ?? FingerprintSet.fingerprint(normalize(address))
    }

    /// The common case, on bytes: no Unicode case mapping, one allocation.
    fileprivate func normalizeASCII(_ address: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(address.utf8.count)
        _ = Array(address.utf8).withUnsafeBufferPointer { bytes in
            forEachNormalizedASCIIByte(bytes) { output.append($0) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Calls `body` with each byte of the normalised form of an ASCII address: spaces and angle brackets
    /// trimmed, the plus tag dropped (when folding), the local part folded (when folding), the domain lower
    /// case. False, having called nothing, when the address is not ASCII.
    private func forEachNormalizedASCIIByte(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UInt8) -> Void) -> Bool {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == UInt8(ascii: " ") || bytes[start] == UInt8(ascii: "<") { start += 1 }
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: ">") { end -= 1 }
        var at = end
        var index = end
        while index > start {
            index -= 1
            if bytes[index] >= 0x80 { return false }
            if at == end && bytes[index] == UInt8(ascii: "@") { at = index }
        }
        var inTag = false
        for position in start..<end {
            let byte = bytes[position]
            if position < at {
                if inTag { continue }
                if foldPlusTags, byte == UInt8(ascii: "+"), position > start, bytes[start] != UInt8(ascii: "\"") {
                    inTag = true
                    continue
                }
                body(foldCase ? Self.lower(byte) : byte)
            } else {
                body(Self.lower(byte))
            }
        }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

extension String {
    fileprivate func trimmingSpacesAndBrackets() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "<" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == ">" { slice = slice.dropLast() }
        return String(slice)
    }
}
