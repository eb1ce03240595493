/// Header canonicalisation (RFC 6376 §3.4.1, §3.4.2).
enum DKIMHeaderCanonicalizer {
    /// Appends the canonical form of one field to `output`, followed by CRLF unless `terminate` is false (the
    /// DKIM-Signature field itself is hashed without its trailing CRLF, RFC 6376 §3.7).
    static func append(
        _ field: DKIMHeaderField, _ algorithm: DKIMCanonicalizationAlgorithm, terminate: Bool = true,
        to output: inout [UInt8]
    ) {
        var name = field.lowercasedName
        name.withUTF8 { name in
            field.raw.withUnsafeBytes { raw in
                let capacity = capacity(raw: raw, lowercasedName: UnsafeRawBufferPointer(name))
                let start = output.count
                output.append(contentsOf: repeatElement(0, count: capacity))
                let written = output.withUnsafeMutableBytes { output in
                    write(
                        raw: raw, lowercasedName: UnsafeRawBufferPointer(name), valueStart: field.valueStart,
                        algorithm, terminate: terminate, to: output.baseAddress! + start)
                }
                output.removeLast(capacity - written)
            }
        }
    }

    /// The most octets `write` writes for a field.
    static func capacity(raw: UnsafeRawBufferPointer, lowercasedName: UnsafeRawBufferPointer) -> Int {
        raw.count + lowercasedName.count + 3
    }

    /// Writes the canonical form of a field given as its octets (`raw`: name through value, without the final
    /// line break) to `output`, which has room for `capacity(...)` octets; returns the number written. Relaxed
    /// writes `lowercasedName` in place of the name as written.
    static func write(
        raw: UnsafeRawBufferPointer, lowercasedName: UnsafeRawBufferPointer, valueStart: Int,
        _ algorithm: DKIMCanonicalizationAlgorithm, terminate: Bool = true, to output: UnsafeMutableRawPointer
    ) -> Int {
        var count = 0
        func copy(_ bytes: UnsafeRawBufferPointer) {
            guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
            (output + count).copyMemory(from: source, byteCount: bytes.count)
            count += bytes.count
        }
        func put(_ byte: UInt8) {
            output.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
            count += 1
        }
        switch algorithm {
        case .simple:
            // §3.4.1: "The "simple" header canonicalization algorithm does not change header fields in any way."
            copy(raw)
        case .relaxed:
            copy(lowercasedName)
            put(UInt8(ascii: ":"))
            let value = UnsafeRawBufferPointer(rebasing: raw[valueStart...])
            forEachRelaxedSpan(of: value) { span in
                if let span {
                    copy(span)
                } else {
                    put(0x20)
                }
            }
        }
        if terminate {
            put(0x0D)
            put(0x0A)
        }
        return count
    }

    // RFC 6376 §3.4.2:
    //  - Convert all header field names (not the header field values) to lowercase.
    //  - Unfold all header field continuation lines as described in [RFC5322].
    //  - Convert all sequences of one or more WSP characters to a single SP character.
    //  - Delete all WSP characters at the end of each unfolded header field value.
    //  - Delete any WSP characters remaining before and after the colon separating the header field name from
    //    the header field value. The colon separator MUST be retained.
    /// The relaxed form of a field value, as spans of the value that are already canonical and nil for a SP
    /// standing for a run of FWS.
    private static func forEachRelaxedSpan(
        of value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) -> Void
    ) {
        guard let base = value.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var start = 0
        var end = value.count
        while start < end && isFWS(bytes[start]) { start += 1 }
        while end > start && isFWS(bytes[end - 1]) { end -= 1 }
        var spanStart = start
        var index = start
        while index < end {
            let byte = bytes[index]
            guard byte <= 0x20, isFWS(byte) else {  // no FWS octet is above SP
                index += 1
                continue
            }
            var runEnd = index + 1
            while isFWS(bytes[runEnd]) { runEnd += 1 }  // the value ends in non-FWS: no overrun
            if byte != 0x20 || runEnd - index > 1 {
                body(UnsafeRawBufferPointer(start: base + spanStart, count: index - spanStart))
                body(nil)
                spanStart = runEnd
            }
            index = runEnd
        }
        body(UnsafeRawBufferPointer(start: base + spanStart, count: end - spanStart))
    }

    /// WSP or a line-break octet (unfolding removes CR LF; the WSP after it is compressed with the rest).
    private static func isFWS(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
