import Mustache

/// HTML escaping of `{{var}}` in the HTML part: `&`, `<`, `>`, `"` and `'` become character references
/// (HTML Living Standard §13.1.4; the same five swift-mustache escapes). Works on bytes, so a combining
/// mark after `"` cannot hide the quote, as it can from swift-mustache's `Character`-based escaping.
public enum HTMLEscaping {
    /// `text` escaped for HTML text and attribute values (templates, and Petrel's own pages).
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        var output: [UInt8] = []
        append(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the UTF-8 of `text`, escaped.
    static func append(_ text: String, to output: inout [UInt8]) {
        let utf8 = text.utf8
        // Contiguous bytes (native strings): one scan and one copy, the usual case of a field with nothing to
        // escape.
        let copied = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: needsEscape) else { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        guard utf8.contains(where: needsEscape) else {
            output.append(contentsOf: utf8)
            return
        }
        output.reserveCapacity(output.count + utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            default: output.append(byte)
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// The name under which ``ContentType`` is registered with swift-mustache.
    static let contentTypeName = "PETREL_HTML"

    /// Registers ``ContentType`` once (swift-mustache's registry is process-wide and locked).
    static let registered: Void = MustacheContentTypes.register(ContentType(), named: contentTypeName)

    /// ``HTMLEscaping`` as a swift-mustache content type, for templates rendered by swift-mustache.
    struct ContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { HTMLEscaping.escape(text) }
    }
}
