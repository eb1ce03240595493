/// Header canonicalisation (RFC 6376 §3.4.1, §3.4.2).
enum DKIMHeaderCanonicalizer {
    /// Appends the canonical form of one field to `output`, followed by CRLF unless `terminate` is false (the
    /// DKIM-Signature field itself is hashed without its trailing CRLF, RFC 6376 §3.7).
    static func append(
        _ field: DKIMHeaderField, _ algorithm: DKIMCanonicalizationAlgorithm, terminate: Bool = true,
        to output: inout [UInt8]
    ) {
        switch algorithm {
        case .simple:
            // §3.4.1: "The "simple" header canonicalization algorithm does not change header fields in any way."
            output.append(contentsOf: field.raw)
        case .relaxed:
            appendRelaxed(field, to: &output)
        }
        if terminate {
            output.append(0x0D)
            output.append(0x0A)
        }
    }

    // RFC 6376 §3.4.2:
    //  - Convert all header field names (not the header field values) to lowercase.
    //  - Unfold all header field continuation lines as described in [RFC5322].
    //  - Convert all sequences of one or more WSP characters to a single SP character.
    //  - Delete all WSP characters at the end of each unfolded header field value.
    //  - Delete any WSP characters remaining before and after the colon separating the header field name from
    //    the header field value. The colon separator MUST be retained.
    private static func appendRelaxed(_ field: DKIMHeaderField, to output: inout [UInt8]) {
        output.append(contentsOf: field.lowercasedName.utf8)
        output.append(UInt8(ascii: ":"))
        let raw = field.raw
        var start = field.valueStart
        var end = raw.count
        while start < end && isFWS(raw[start]) { start += 1 }
        while end > start && isFWS(raw[end - 1]) { end -= 1 }
        // Copy spans that are already canonical; break them only where FWS is not a single SP.
        var spanStart = start
        var index = start
        while index < end {
            let byte = raw[index]
            guard isFWS(byte) else {
                index += 1
                continue
            }
            var runEnd = index + 1
            while isFWS(raw[runEnd]) { runEnd += 1 }  // the value ends in non-FWS: no overrun
            if byte != 0x20 || runEnd - index > 1 {
                output.append(contentsOf: raw[spanStart..<index])
                output.append(0x20)
                spanStart = runEnd
            }
            index = runEnd
        }
        output.append(contentsOf: raw[spanStart..<end])
    }

    /// WSP or a line-break octet (unfolding removes CR LF; the WSP after it is compressed with the rest).
    private static func isFWS(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
