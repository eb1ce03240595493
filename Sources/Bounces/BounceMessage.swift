import MailMessage

/// A message taken apart for bounce processing: the top header fields, the human-readable explanation,
/// the machine-readable report (RFC 3464 delivery status or RFC 5965 feedback report) and the returned
/// original message, wherever the sender put them.
struct BounceMessage {
    var headers: [HeaderField]
    /// The explanation meant for people (first text part, or the body before the returned message).
    var explanation = ""
    /// Body of a `message/delivery-status` part (RFC 3464 §2), if any.
    var deliveryStatus: String?
    /// Body of a `message/feedback-report` part (RFC 5965 §3), if any.
    var feedbackReport: String?
    /// The returned original message or its header section, if any.
    var original: ArraySlice<UInt8>?

    init(normalized bytes: [UInt8]) {
        let parts = MIMEWalker.parts(of: bytes[...])
        let top = parts[0]
        headers = top.headers
        // Text parts are decoded only when read: the first always, the others when it is too short to be the
        // explanation or when no delivery-status part was found.
        var textParts: [MIMEPart] = []
        for part in parts.dropFirst() where !part.contentType.isMultipart {
            switch part.contentType.mediaType {
            // RFC 3464 §2, RFC 6533 §6.2 (global form)
            case "message/delivery-status", "message/global-delivery-status":
                if deliveryStatus == nil { deliveryStatus = Self.normalizedText(part) }
            // RFC 5965 §2
            case "message/feedback-report":
                if feedbackReport == nil { feedbackReport = Self.normalizedText(part) }
            // RFC 3462 §3 (text/rfc822-headers), RFC 2046 §5.2.1, RFC 6532 §3.7
            case "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers",
                "message/global-headers", "message/partial":
                if original == nil {
                    let decoded = part.decodedBody
                    original = Self.normalized(decoded)[...]
                }
            default:
                if part.contentType.mediaType.hasPrefix("text/") { textParts.append(part) }
            }
        }
        if parts.count == 1 { textParts = [top] }
        var explanation = textParts.first.map(Self.text) ?? ""
        if parts.count > 1 && explanation.utf8.count < 40, textParts.count > 1 {
            explanation = textParts.map(Self.text).joined(separator: "\n")
        }
        if let split = ReturnedMessage.split(explanation) {
            explanation = split.explanation
            if original == nil { original = Array(split.original.utf8)[...] }
        }
        self.explanation = explanation
        if deliveryStatus == nil, let embedded = Self.embeddedDeliveryStatus(in: textParts.dropFirst().map(Self.text)) {
            deliveryStatus = embedded
        }
    }

    /// The first value of the top-level header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.value(of: name)
    }

    /// Some MTAs send the RFC 3464 fields inside a text part rather than a delivery-status part.
    private static func embeddedDeliveryStatus(in texts: [String]) -> String? {
        for text in texts where PhraseSearch.containsIgnoringCase(text, finalRecipient) {
            if PhraseSearch.containsIgnoringCase(text, status) || PhraseSearch.containsIgnoringCase(text, action) {
                return text
            }
        }
        return nil
    }

    private static let finalRecipient = Array("final-recipient:".utf8)
    private static let status = Array("status:".utf8)
    private static let action = Array("action:".utf8)

    /// A text part as text: HTML reduced to its words (RFC 2854), other subtypes as they are.
    private static func text(_ part: MIMEPart) -> String {
        let text = normalizedText(part)
        return part.contentType.mediaType == "text/html" ? HTMLText.strip(text) : text
    }

    private static func normalizedText(_ part: MIMEPart) -> String {
        String(decoding: normalized(part.decodedBody), as: UTF8.self)
    }

    /// The offset of the first CR, eight bytes at a time: most messages and parts have none, and every one is
    /// checked.
    private static func firstCarriageReturn(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var index = 0
        while index + 8 <= bytes.count {
            // A zero byte in `word` is a CR in the text ("has a zero byte" bit trick, exact).
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x0D0D_0D0D_0D0D_0D0D
            if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { break }
            index += 8
        }
        while index < bytes.count {
            if bytes[index] == 0x0D { return index }
            index += 1
        }
        return nil
    }

    /// CR LF, CR CR LF and lone CR become LF, so that LF and CRLF copies of a message give the same answers.
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        guard let firstCR = bytes.withUnsafeBufferPointer(firstCarriageReturn) else { return bytes }
        return bytes.withUnsafeBufferPointer { bytes in
            [UInt8](unsafeUninitializedCapacity: bytes.count) { output, count in
                var written = 0
                var index = 0
                var runStart = 0
                var nextCR = firstCR
                while index < bytes.count {
                    // Copy the run up to the next CR in one go.
                    index = nextCR
                    let run = index - runStart
                    if run > 0 {
                        output.baseAddress!.advanced(by: written).update(
                            from: bytes.baseAddress!.advanced(by: runStart), count: run)
                        written += run
                    }
                    guard index < bytes.count else { break }
                    // CR LF, CR CR LF (a CRLF file converted once more) and a lone CR are each one line break.
                    var next = index + 1
                    while next < bytes.count && bytes[next] == 0x0D { next += 1 }
                    index = next < bytes.count && bytes[next] == 0x0A ? next + 1 : next
                    output[written] = 0x0A
                    written += 1
                    runStart = index
                    nextCR = index
                    while nextCR < bytes.count && bytes[nextCR] != 0x0D { nextCR += 1 }
                }
                count = written
            }
        }
    }
}
