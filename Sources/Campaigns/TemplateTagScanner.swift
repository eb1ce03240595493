/// Finds the variable tags of a Mustache template (https://mustache.github.io/mustache.5.html) in one pass:
/// variables `{{x}}`, `{{{x}}}`, `{{&x}}`, sections `{{#x}}` / `{{^x}}` … `{{/x}}`, with set-delimiter
/// tags `{{=<% %>=}}` honoured. Comments `{{! }}`, partials `{{> }}` and pragmas `{{% }}` are skipped.
///
/// It is lenient: the template has compiled with swift-mustache before it is scanned, so it stops at the
/// first malformed tag instead of reporting it.
struct TemplateTagScanner {
    private let bytes: [UInt8]
    private var position = 0
    private var open: [UInt8] = Array("{{".utf8)
    private var close: [UInt8] = Array("}}".utf8)

    private init(_ source: String) { bytes = Array(source.utf8) }

    /// The tag tree of `source`.
    static func scan(_ source: String) -> [TemplateNode] {
        var scanner = TemplateTagScanner(source)
        return scanner.nodes(until: nil)
    }

    /// Nodes up to the closing tag of the section `name` (to the end when nil).
    private mutating func nodes(until name: String?) -> [TemplateNode] {
        var nodes: [TemplateNode] = []
        while let tagStart = find(open, from: position) {
            position = tagStart + open.count
            guard position < bytes.count else { return nodes }
            let sigil = bytes[position]
            switch sigil {
            case UInt8(ascii: "!"), UInt8(ascii: ">"), UInt8(ascii: "%"):
                guard skipPastClose() else { return nodes }
            case UInt8(ascii: "="):
                guard setDelimiters() else { return nodes }
            case UInt8(ascii: "{"):
                position += 1
                guard let content = readUntilClose(extra: UInt8(ascii: "}")) else { return nodes }
                nodes.append(.variable(name: Self.variableName(content), escaped: false))
            case UInt8(ascii: "&"):
                position += 1
                guard let content = readUntilClose(extra: nil) else { return nodes }
                nodes.append(.variable(name: Self.variableName(content), escaped: false))
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                position += 1
                guard let content = readUntilClose(extra: nil) else { return nodes }
                let children = self.nodes(until: content)
                nodes.append(
                    .section(name: Self.variableName(content), inverted: sigil == UInt8(ascii: "^"), children: children)
                )
            case UInt8(ascii: "$"), UInt8(ascii: "<"):
                position += 1
                guard let content = readUntilClose(extra: nil) else { return nodes }
                nodes.append(.group(children: self.nodes(until: content)))
            case UInt8(ascii: "/"):
                position += 1
                guard readUntilClose(extra: nil) != nil else { return nodes }
                if name != nil { return nodes }
            default:
                guard let content = readUntilClose(extra: nil) else { return nodes }
                nodes.append(.variable(name: Self.variableName(content), escaped: true))
            }
        }
        position = bytes.count
        return nodes
    }

    /// The trimmed tag content up to the closing delimiter (preceded by `extra`, for `{{{x}}}`), moving past it.
    private mutating func readUntilClose(extra: UInt8?) -> String? {
        let delimiter = extra.map { [$0] + close } ?? close
        guard let end = find(delimiter, from: position) else { return nil }
        let content = String(decoding: bytes[position..<end], as: UTF8.self)
        position = end + delimiter.count
        return content.trimmingASCIIWhitespace()
    }

    private mutating func skipPastClose() -> Bool { readUntilClose(extra: nil) != nil }

    /// `{{=<% %>=}}`: new delimiters separated by whitespace, between `=` signs.
    private mutating func setDelimiters() -> Bool {
        guard let content = readUntilClose(extra: nil), content.hasPrefix("="), content.hasSuffix("="),
            content.count >= 2
        else { return false }
        let parts = content.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        guard parts.count == 2 else { return false }
        open = Array(parts[0].utf8)
        close = Array(parts[1].utf8)
        return true
    }

    /// The variable inside any transforms: `uppercased(first_name)` → `first_name`, `index()` → ``.
    static func variableName(_ content: String) -> String {
        guard let parenthesis = content.lastIndex(of: "(") else { return content }
        let inner = content[content.index(after: parenthesis)...]
        return String(inner.prefix(while: { $0 != ")" })).trimmingASCIIWhitespace()
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var offset = 1
                while offset < needle.count, bytes[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return index }
            }
            index += 1
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, CRs and LFs.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
