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
        var texts: [String] = []
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
            case "text/plain", "text/html", "text/enriched":
                let text = Self.normalizedText(part)
                texts.append(part.contentType.mediaType == "text/html" ? HTMLText.strip(text) : text)
            default:
                if part.contentType.mediaType.hasPrefix("text/") {
                    texts.append(Self.normalizedText(part))
                }
            }
        }
        if parts.count == 1 {
            let text = Self.normalizedText(top)
            texts = [top.contentType.mediaType == "text/html" ? HTMLText.strip(text) : text]
        }
        var explanation = texts.first ?? ""
        if parts.count > 1 && explanation.utf8.count < 40, texts.count > 1 {
            explanation = texts.joined(separator: "\n")
        }
        if let split = ReturnedMessage.split(explanation) {
            explanation = split.explanation
            if original == nil { original = Array(split.original.utf8)[...] }
        }
        self.explanation = explanation
        if deliveryStatus == nil, let embedded = Self.embeddedDeliveryStatus(in: texts) {
            deliveryStatus = embedded
        }
    }

    /// The first value of the top-level header `name` (case-insensitive).
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// Some MTAs send the RFC 3464 fields inside a text part rather than a delivery-status part.
    private static func embeddedDeliveryStatus(in texts: [String]) -> String? {
        for text in texts.dropFirst() {
            let lower = text.lowercased()
            if lower.contains("final-recipient:") && (lower.contains("status:") || lower.contains("action:")) {
                return text
            }
        }
        return nil
    }

    private static func normalizedText(_ part: MIMEPart) -> String {
        String(decoding: normalized(part.decodedBody), as: UTF8.self)
    }

    /// CR LF, CR CR LF and lone CR become LF, so that LF and CRLF copies of a message give the same answers.
    static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D {
                // CR LF, CR CR LF (a CRLF file converted once more) and a lone CR are each one line break.
                var next = index + 1
                while next < bytes.count && bytes[next] == 0x0D { next += 1 }
                if next < bytes.count && bytes[next] == 0x0A {
                    index = next
                } else {
                    index = next - 1
                }
                output.append(0x0A)
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}
