import NIOCore

/// Walks the MIME tree of a message (RFC 2046 §5.1) and returns its entities in order.
///
/// Lenient by design: a missing closing delimiter ends the part at the end of the data, a multipart without
/// its boundary is one opaque part. Depth and part count are bounded so hostile input stays cheap.
public enum MIMEWalker {
    public static let maximumDepth = 12
    public static let maximumParts = 512

    /// Every entity of `message` in pre-order: the message itself first, then its parts. A `message/rfc822`
    /// (or `message/global`) entity is descended into only when `descendIntoMessages` is true.
    public static func parts(of message: ArraySlice<UInt8>, descendIntoMessages: Bool = false) -> [MIMEPart] {
        var result: [MIMEPart] = []
        walk(message, depth: 0, descend: descendIntoMessages, into: &result)
        return result
    }

    /// Splits an entity into its header fields and its body.
    public static func entity(_ bytes: ArraySlice<UInt8>, depth: Int = 0) -> MIMEPart {
        let buffer = ByteBuffer(bytes: bytes)
        let headerLength = HeaderBlock.end(of: buffer) ?? bytes.count
        let headers = HeaderBlock.fields(of: buffer)
        var contentType =
            headers.first { $0.name.caseInsensitiveEquals("Content-Type") }
            .map { MIMEContentType(parsing: $0.value) } ?? .textPlain
        if contentType.isMultipart && contentType.boundary == nil,
            let boundary = unfoldedBoundary(bytes.prefix(headerLength))
        {
            contentType.parameters["boundary"] = boundary
        }
        let body = bytes[(bytes.startIndex + headerLength)...]
        return MIMEPart(headers: headers, contentType: contentType, body: body, depth: depth)
    }

    /// Some mailers put a multipart's `boundary=` parameter on a line of its own without the leading white
    /// space that would fold it into the Content-Type field; the unfolding skips such a line, so look for it.
    private static func unfoldedBoundary(_ header: ArraySlice<UInt8>) -> String? {
        for line in header.split(separator: 0x0A) {
            guard let first = line.first, first != 0x20, first != 0x09 else { continue }
            let text = String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            guard text.lowercased().hasPrefix("boundary=") else { continue }
            let value = MIMEContentType(parsing: "multipart/mixed; " + text).boundary?.trimmingSpaces()
            if let value, !value.isEmpty { return value }
        }
        return nil
    }

    private static func walk(_ bytes: ArraySlice<UInt8>, depth: Int, descend: Bool, into result: inout [MIMEPart]) {
        guard result.count < maximumParts else { return }
        let part = entity(bytes, depth: depth)
        result.append(part)
        guard depth < maximumDepth else { return }
        if part.contentType.isMultipart, let boundary = part.contentType.boundary, !boundary.isEmpty {
            for child in split(part.body, boundary: Array(boundary.utf8)) {
                walk(child, depth: depth + 1, descend: descend, into: &result)
            }
        } else if descend && isMessage(part.contentType.mediaType) {
            let inner = part.decodedBody
            walk(inner[...], depth: depth + 1, descend: descend, into: &result)
        }
    }

    static func isMessage(_ mediaType: String) -> Bool {
        mediaType == "message/rfc822" || mediaType == "message/global"
    }

    // RFC 2046 §5.1.1: dash-boundary := "--" boundary, at the start of a line; close-delimiter adds "--".
    // The line break before a delimiter belongs to the delimiter.
    /// The bodies between the delimiter lines of a multipart body (preamble and epilogue dropped).
    public static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let lineEnd = body[lineStart...].firstIndex(of: 0x0A) ?? body.endIndex
            if isDelimiter(body[lineStart..<lineEnd], boundary: boundary) {
                if let start = partStart {
                    parts.append(body[start..<trimLineBreak(body, before: lineStart, from: start)])
                }
                if isClose(body[lineStart..<lineEnd], boundary: boundary) {
                    return parts
                }
                partStart = min(lineEnd + 1, body.endIndex)
            }
            lineStart = lineEnd + 1
        }
        if let start = partStart, start < body.endIndex {
            parts.append(body[start...])
        }
        return parts
    }

    private static func isDelimiter(_ line: ArraySlice<UInt8>, boundary: [UInt8]) -> Bool {
        guard line.count >= boundary.count + 2 else { return false }
        let start = line.startIndex
        guard line[start] == 0x2D && line[start + 1] == 0x2D else { return false }
        guard line[(start + 2)..<(start + 2 + boundary.count)].elementsEqual(boundary) else { return false }
        // Only "--" and transport padding (RFC 2046 §5.1.1) may follow the boundary.
        let rest = line[(start + 2 + boundary.count)...]
        return rest.allSatisfy { $0 == 0x2D || $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    private static func isClose(_ line: ArraySlice<UInt8>, boundary: [UInt8]) -> Bool {
        let after = line.startIndex + 2 + boundary.count
        return after + 1 < line.endIndex && line[after] == 0x2D && line[after + 1] == 0x2D
    }

    private static func trimLineBreak(_ body: ArraySlice<UInt8>, before index: Int, from start: Int) -> Int {
        var end = index
        if end > start && body[end - 1] == 0x0A { end -= 1 }
        if end > start && body[end - 1] == 0x0D { end -= 1 }
        return end
    }
}
