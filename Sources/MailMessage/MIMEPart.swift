/// One entity of a MIME tree (RFC 2045 §2.4): its header fields and its still-encoded body.
public struct MIMEPart: Sendable {
    /// Header fields of this entity, unfolded, in order.
    public var headers: [HeaderField]
    public var contentType: MIMEContentType
    /// The body as it appears in the message (transfer encoding not yet removed).
    public var body: ArraySlice<UInt8>
    /// 0 for the message itself, 1 for its direct children, and so on.
    public var depth: Int

    public init(headers: [HeaderField], contentType: MIMEContentType, body: ArraySlice<UInt8>, depth: Int) {
        self.headers = headers
        self.contentType = contentType
        self.body = body
        self.depth = depth
    }

    /// The first value of the field `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    // RFC 2045 §6.1: Content-Transfer-Encoding, default 7bit.
    public var transferEncoding: String {
        header("Content-Transfer-Encoding")?.trimmingSpaces().lowercased() ?? "7bit"
    }

    /// The body with its transfer encoding removed.
    public var decodedBody: [UInt8] {
        MIMEDecoder.decode(body, transferEncoding: transferEncoding)
    }

    /// The decoded body as text (UTF-8, invalid sequences replaced).
    public var text: String {
        String(decoding: decodedBody, as: UTF8.self)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let left = utf8
        let right = other.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let lowerA = (a >= 0x41 && a <= 0x5A) ? a + 0x20 : a
            let lowerB = (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b
            if lowerA != lowerB { return false }
        }
        return true
    }
}
