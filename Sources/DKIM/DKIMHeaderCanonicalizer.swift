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
        for byte in field.lowercasedName.utf8 {
            output.append(byte)
        }
        output.append(UInt8(ascii: ":"))
        var pendingSpace = false
        var started = false
        for byte in field.value {
            switch byte {
            case 0x0D, 0x0A:
                continue  // unfolding removes the line break; the WSP after it is kept, then compressed
            case 0x20, 0x09:
                pendingSpace = true
            default:
                if pendingSpace && started {
                    output.append(0x20)
                }
                output.append(byte)
                pendingSpace = false
                started = true
            }
        }
    }
}
