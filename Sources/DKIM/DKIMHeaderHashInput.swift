/// The data the header hash covers (RFC 6376 §3.7, §5.4.2), shared by signer and verifier.
enum DKIMHeaderHashInput {
    /// The fields named in `signedNames`, each taken from the bottom of the header up and used once; a name with
    /// no instance left contributes nothing ("treated as the null string", §5.4.2). Then the DKIM-Signature field
    /// with `b=` emptied, canonicalised, without its trailing CRLF (§3.7).
    static func data(
        signedNames: [String], fields: [DKIMHeaderField], signatureField: DKIMHeaderField,
        canonicalization: DKIMCanonicalizationAlgorithm
    ) -> [UInt8] {
        var data: [UInt8] = []
        data.reserveCapacity(1024)
        var used = [Bool](repeating: false, count: fields.count)
        for name in signedNames {
            var index = fields.count - 1
            while index >= 0 && (used[index] || fields[index].lowercasedName != name) {
                index -= 1
            }
            guard index >= 0 else { continue }
            used[index] = true
            DKIMHeaderCanonicalizer.append(fields[index], canonicalization, to: &data)
        }
        DKIMHeaderCanonicalizer.append(signatureField, canonicalization, terminate: false, to: &data)
        return data
    }
}
