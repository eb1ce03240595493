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
    var signedHeaders: [String]
    var bodyHash: [UInt8]

    static let lineWidth = 78
    static let fieldName = "DKIM-Signature"

    /// The whole field up to and including `b=` (no value, no CRLF), folded.
    var unsignedField: String {
        var folder = DKIMFolder(start: Self.fieldName + ":")
        var tags = [
            "v=1", "a=\(algorithm.rawValue)", "c=\(canonicalization)", "d=\(domain)", "s=\(selector)",
            "t=\(timestamp)",
        ]
        if let expiration { tags.append("x=\(expiration)") }
        if let identity { tags.append("i=\(identity)") }
        for tag in tags {
            folder.appendAtom(" " + tag + ";")
        }
        // RFC 6376 §3.5 h=: FWS is allowed around the colons, so the list folds between names.
        for (index, name) in signedHeaders.enumerated() {
            let prefix = index == 0 ? " h=" : ""
            let suffix = index == signedHeaders.count - 1 ? ";" : ":"
            folder.appendAtom(prefix + name + suffix)
        }
        folder.appendAtom(" bh=" + DKIMBase64.encode(bodyHash) + ";")
        folder.breakLine()
        folder.appendAtom(" b=")
        return folder.text
    }

    /// The signature value folded after `unsignedField` (base64 may be split by FWS anywhere, §3.5), then CRLF.
    static func foldedSignature(_ signature: [UInt8], after unsignedField: String) -> String {
        let encoded = Array(DKIMBase64.encode(signature).utf8)
        var text = ""
        let utf8 = unsignedField.utf8
        let lineStart = utf8.lastIndex(of: 0x0A).map { utf8.index(after: $0) } ?? utf8.startIndex
        var column = utf8.distance(from: lineStart, to: utf8.endIndex)
        var index = 0
        while index < encoded.count {
            let room = max(lineWidth - column, 8)
            let end = min(index + room, encoded.count)
            text += String(decoding: encoded[index..<end], as: UTF8.self)
            index = end
            if index < encoded.count {
                text += "\r\n "
                column = 1
            }
        }
        return text + "\r\n"
    }
}

/// Greedy folding at atom boundaries: an atom that would pass the line width starts a new line (CRLF, then the
/// atom's own leading space, or a space if it has none).
struct DKIMFolder {
    private(set) var text: String
    private var column: Int

    init(start: String) {
        text = start
        text.reserveCapacity(640)
        column = start.utf8.count
    }

    mutating func appendAtom(_ atom: String) {
        let length = atom.utf8.count
        if column + length > DKIMSignatureBuilder.lineWidth && column > 1 {
            breakLine()
        }
        if column == 0 && !atom.hasPrefix(" ") {
            text += " "
            column = 1
        }
        text += atom
        column += length
    }

    mutating func breakLine() {
        text += "\r\n"
        column = 0
    }
}
