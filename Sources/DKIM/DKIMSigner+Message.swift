import NIOCore

extension DKIMSigner {
    /// Every field in `signers`, in order, concatenated: prepend the result to the message. Dual signing
    /// (RFC 8463 §6) is two signers.
    public static func sign(
        message: ByteBuffer, with signers: [DKIMSigner], time: Int64
    ) throws(DKIMSigningError) -> String {
        var fields = ""
        for signer in signers {
            fields += try signer.sign(message: message, time: time)
        }
        return fields
    }

    // RFC 5322 §3.6.2: from = "From:" mailbox-list; RFC 5322 §3.4: addr-spec = local-part "@" domain.
    /// The domain of the first address in the From field (what `DKIMSigningPolicy` keys on), or nil. Handles
    /// `Name <local@domain>`, a bare `local@domain`, quoted local parts and comments well enough for routing;
    /// it is not a full RFC 5322 address parser.
    public static func fromDomain(of message: ByteBuffer) -> String? {
        let fields = message.withUnsafeReadableBytes { DKIMParsedMessage($0).fields }
        guard let from = fields.first(where: { $0.lowercasedName == "from" }) else { return nil }
        var text = String(decoding: from.value, as: UTF8.self)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = String(text[text.index(after: open)..<close])
        } else {
            text = String(text.split(separator: ",").first ?? "")
        }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let domain = text[text.index(after: at)...].prefix { !" \t\r\n>(),;".contains($0) }
        return domain.isEmpty ? nil : DKIMDomain.normalized(String(domain))
    }
}
