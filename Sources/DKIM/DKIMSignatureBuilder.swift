/// Renders the DKIM-Signature field a signer emits (RFC 6376 §3.5), folded for the wire (RFC 5322 §2.2.3).
///
/// The field is laid out as `v a c d s t [x] [i] h bh` and then `b=` on a line of its own, so that the text the
/// header hash covers (everything up to `b=`) is exactly the text that is sent, under `simple` as well as
/// `relaxed`; the signature value is then folded in after it.
struct DKIMSignatureBuilder {
    var algorithm: DKIMAlgorithm
    var canonicalization: DKIMCanonicalization
    var domain: String
    var selector: String
    var timestamp: Int64
    var expiration: Int64?
    var identity: String?
    /// The `h=` names, each a range of `headerNames`.
    var headerNames: [UInt8]
    var signedHeaders: [Range<Int>]
    var bodyHash: [UInt8]

    static let lineWidth = 78
    static let fieldName = "DKIM-Signature"

    /// At least as many octets as `writeUnsignedField` writes: every atom might start a new line.
    var unsignedFieldCapacity: Int {
        // The fixed text of all tags, each preceded by a line break: under 250 octets.
        let names = signedHeaders.reduce(0) { $0 + $1.count + 1 + 3 }
        let values = domain.utf8.count + selector.utf8.count + (identity?.utf8.count ?? 0) + 3 * 20
        return 250 + values + names + (bodyHash.count + 2) / 3 * 4
    }

    /// The whole field up to and including `b=` (no value, no CRLF), folded.
    func writeUnsignedField(to folder: inout DKIMFolder) {
        folder.appendAtom(" v=1;")
        folder.appendAtom(" a=", algorithm.rawValue, ";")
        let header = canonicalization.header.rawValue
        let body = canonicalization.body.rawValue
        folder.beginAtom(length: 5 + header.utf8.count + body.utf8.count, leadingSpace: true)
        folder.write(" c=")
        folder.write(header)
        folder.write("/")
        folder.write(body)
        folder.write(";")
        folder.appendAtom(" d=", domain, ";")
        folder.appendAtom(" s=", selector, ";")
        folder.appendAtom(" t=", String(timestamp), ";")
        if let expiration { folder.appendAtom(" x=", String(expiration), ";") }
        if let identity { folder.appendAtom(" i=", identity, ";") }
        // RFC 6376 §3.5 h=: FWS is allowed around the colons, so the list folds between names.
        headerNames.withUnsafeBytes { names in
            for (index, range) in signedHeaders.enumerated() {
                let first = index == 0
                folder.beginAtom(length: range.count + (first ? 4 : 1), leadingSpace: first)
                if first { folder.write(" h=") }
                folder.write(UnsafeRawBufferPointer(rebasing: names[range]))
                folder.write(index == signedHeaders.count - 1 ? ";" : ":")
            }
        }
        folder.beginAtom(length: 5 + (bodyHash.count + 2) / 3 * 4, leadingSpace: true)
        folder.write(" bh=")
        folder.writeBase64(bodyHash)
        folder.write(";")
        folder.breakLine()
        folder.appendAtom(" b=")
    }

    /// At least as many octets as `writeSignature` writes for a signature of `count` octets.
    static func signatureCapacity(_ count: Int) -> Int {
        let encoded = (count + 2) / 3 * 4
        return encoded + (encoded / 8 + 1) * 3 + 2
    }

    /// The signature value, folded (base64 may be split by FWS anywhere, §3.5), then CRLF.
    static func writeSignature(_ signature: [UInt8], to folder: inout DKIMFolder) {
        var encoded = [UInt8](filledWith: 0, count: (signature.count + 2) / 3 * 4)
        encoded.withUnsafeMutableBytes { DKIMBase64.write(signature, to: $0.baseAddress!) }
        encoded.withUnsafeBytes { encoded in
            var index = 0
            while index < encoded.count {
                let room = max(lineWidth - folder.column, 8)
                let end = min(index + room, encoded.count)
                folder.write(UnsafeRawBufferPointer(rebasing: encoded[index..<end]))
                index = end
                if index < encoded.count {
                    folder.breakLine()
                    folder.write(" ")
                }
            }
        }
        folder.write("\r\n")
    }
}
