/// Builds ``FastTemplateNode`` trees that render exactly as swift-mustache 2.1 renders the same source, or
/// gives up (nil) so that the template is rendered by swift-mustache itself.
///
/// It follows swift-mustache's tokenizer rather than the Mustache spec where the two differ, so that both
/// engines agree byte for byte: leading spaces and tabs of a line are held back until the next token; a
/// section, inverted section, closing, comment or set-delimiter tag alone on its line (the line ends after
/// optional spaces and tabs, or the input ends) drops that line (spec "Standalone" rules); after a section
/// the "at the start of a line" state is that of its opening tag; trailing spaces at the very end of the
/// input are dropped; a set-delimiter tag inside a section stays in that section.
///
/// Gives up on what the fast path does not support: partials, blocks, pragmas, transforms (`upper(x)`),
/// unusual names, non-ASCII inside tags, and any ASCII character that forms one grapheme cluster with its
/// neighbour (swift-mustache compares `Character`s, this parser bytes). The template has compiled with
/// swift-mustache first, so malformed input never gets here; where it does, this parser gives up too.
struct FastTemplateParser {
    private struct Failure: Error {}

    private struct State {
        var newLine = true
        var open: [UInt8] = Array("{{".utf8)
        var close: [UInt8] = Array("}}".utf8)
        var sectionName: String?
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(_ source: String) { bytes = Array(source.utf8) }

    static func parse(_ source: String) -> [FastTemplateNode]? {
        var parser = FastTemplateParser(source)
        guard parser.graphemesAreBytes() else { return nil }
        return try? parser.parse(State())
    }

    private mutating func parse(_ initial: State) throws(Failure) -> [FastTemplateNode] {
        var state = initial
        var nodes: [FastTemplateNode] = []
        var indent = 0..<0
        let count = bytes.count
        while position < count {
            if state.newLine {
                let start = position
                while position < count, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
                indent = start..<position
            }
            // Text up to a line feed or the opening delimiter.
            let textStart = position
            var textEnd = count
            var lineEnd = 0
            var foundTag = false
            while position < count {
                let byte = bytes[position]
                if byte == 0x0A {
                    lineEnd = 1
                } else if byte == 0x0D, position + 1 < count, bytes[position + 1] == 0x0A {
                    lineEnd = 2
                } else if byte == state.open[0], matches(state.open, at: position) {
                    foundTag = true
                }
                if lineEnd > 0 || foundTag {
                    textEnd = position
                    break
                }
                position += 1
            }
            if lineEnd > 0 {
                nodes.append(.text(string(indent) + string(textStart..<(textEnd + lineEnd))))
                state.newLine = true
                position = textEnd + lineEnd
                continue
            }
            if foundTag {
                position += state.open.count
                // swift-mustache drops `{{` at the very end or before a line break; not worth copying.
                guard position < count, !(0x0A...0x0D).contains(bytes[position]), bytes[position] < 0x80 else {
                    throw Failure()
                }
            }
            if textEnd > textStart {
                nodes.append(.text(string(indent) + string(textStart..<textEnd)))
                indent = 0..<0
                state.newLine = false
            }
            guard foundTag else { break }
            var setNewLine = false
            let sigil = bytes[position]
            switch sigil {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                position += 1
                let name = try readName(state)
                setNewLine = standalone(state)
                if !setNewLine, !indent.isEmpty {
                    nodes.append(.text(string(indent)))
                    indent = 0..<0
                }
                var inner = state
                inner.sectionName = name
                inner.newLine = setNewLine
                let children = try parse(inner)
                nodes.append(.section(try fastName(name), inverted: sigil == UInt8(ascii: "^"), children: children))
            case UInt8(ascii: "/"):
                position += 1
                let name = try readName(state)
                guard name == state.sectionName else { throw Failure() }
                if !standalone(state), !indent.isEmpty { nodes.append(.text(string(indent))) }
                return Self.mergingText(nodes)
            case UInt8(ascii: "!"):
                position += 1
                try skipComment(state)
                setNewLine = standalone(state)
            case UInt8(ascii: "{"):
                if !indent.isEmpty { nodes.append(.text(string(indent))) }
                indent = 0..<0
                position += 1
                let name = try readName(state)
                guard position < count, bytes[position] == UInt8(ascii: "}") else { throw Failure() }
                position += 1
                nodes.append(.variable(try fastName(name), escaped: false))
            case UInt8(ascii: "&"):
                if !indent.isEmpty { nodes.append(.text(string(indent))) }
                indent = 0..<0
                position += 1
                nodes.append(.variable(try fastName(try readName(state)), escaped: false))
            case UInt8(ascii: "="):
                position += 1
                try setDelimiters(&state)
                setNewLine = standalone(state)
            case UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "$"), UInt8(ascii: "%"):
                throw Failure()
            default:
                if !indent.isEmpty { nodes.append(.text(string(indent))) }
                indent = 0..<0
                nodes.append(.variable(try fastName(try readName(state)), escaped: true))
            }
            state.newLine = setNewLine
        }
        guard state.sectionName == nil else { throw Failure() }
        return Self.mergingText(nodes)
    }

    /// Adjacent text runs joined: fewer appends when rendering.
    private static func mergingText(_ nodes: [FastTemplateNode]) -> [FastTemplateNode] {
        var merged: [FastTemplateNode] = []
        merged.reserveCapacity(nodes.count)
        for node in nodes {
            if case .text(let text) = node, case .text(let previous) = merged.last {
                merged[merged.count - 1] = .text(previous + text)
            } else {
                merged.append(node)
            }
        }
        return merged
    }

    /// A tag's name: optional white space, name characters, optional white space, the closing delimiter.
    private mutating func readName(_ state: State) throws(Failure) -> String {
        skipWhiteSpace()
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position]) { position += 1 }
        let name = string(start..<position)
        skipWhiteSpace()
        guard matches(state.close, at: position) else { throw Failure() }
        position += state.close.count
        return name
    }

    private func fastName(_ name: String) throws(Failure) -> FastTemplateName {
        guard !name.contains("("), !name.contains(")"), let fast = FastTemplateName(name) else { throw Failure() }
        return fast
    }

    /// swift-mustache's comment scan: match the closing delimiter character by character, restarting
    /// (without re-examining the current character) on a mismatch.
    private mutating func skipComment(_ state: State) throws(Failure) {
        var matched = 0
        while position < bytes.count {
            if bytes[position] == state.close[matched] {
                matched += 1
                if matched == state.close.count {
                    position += 1
                    return
                }
            } else {
                matched = 0
            }
            position += 1
        }
        throw Failure()
    }

    /// `=<open> <close>=` followed by the current closing delimiter.
    private mutating func setDelimiters(_ state: inout State) throws(Failure) {
        skipWhiteSpace()
        let openStart = position
        while position < bytes.count, !Self.isWhiteSpace(bytes[position]) { position += 1 }
        guard position < bytes.count else { throw Failure() }
        let open = Array(bytes[openStart..<position])
        skipWhiteSpace()
        let closeStart = position
        while position < bytes.count, !Self.isWhiteSpace(bytes[position]), bytes[position] != UInt8(ascii: "=") {
            position += 1
        }
        guard position < bytes.count else { throw Failure() }
        let close = Array(bytes[closeStart..<position])
        skipWhiteSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { throw Failure() }
        position += 1
        // Unicode makes U+037E equal to `;`, U+1FEF to a backtick and U+212A to `K` (canonical singletons);
        // swift-mustache compares `Character`s, so delimiters with those are left to it.
        guard matches(state.close, at: position), !open.isEmpty, !close.isEmpty,
            (open + close).allSatisfy({ $0 < 0x80 && !Array(";`K".utf8).contains($0) })
        else { throw Failure() }
        position += state.close.count
        state.open = open
        state.close = close
    }

    /// Whether the tag just read stands alone: at the start of a line, followed only by spaces and tabs up to
    /// a line break (consumed) or the end of the input.
    private mutating func standalone(_ state: State) -> Bool {
        guard state.newLine else { return false }
        if position == bytes.count { return true }
        var index = position
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
        guard index < bytes.count, let length = newlineLength(at: index) else { return false }
        position = index + length
        return true
    }

    /// The length of a character with Unicode's `isNewline` at `index`: LF, VT, FF, CR, CR LF, NEL, LS, PS.
    private func newlineLength(at index: Int) -> Int? {
        let byte = bytes[index]
        switch byte {
        case 0x0D: return index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
        case 0x0A, 0x0B, 0x0C: return 1
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] == 0x85 ? 2 : nil
        case 0xE2:
            guard index + 2 < bytes.count, bytes[index + 1] == 0x80,
                bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
            else { return nil }
            return 3
        default: return nil
        }
    }

    private mutating func skipWhiteSpace() {
        while position < bytes.count, Self.isWhiteSpace(bytes[position]) { position += 1 }
    }

    private func matches(_ delimiter: [UInt8], at index: Int) -> Bool {
        guard index + delimiter.count <= bytes.count else { return false }
        for offset in delimiter.indices where bytes[index + offset] != delimiter[offset] { return false }
        return true
    }

    private func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// Characters swift-mustache allows in names (its `sectionNameChars`).
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "*"):
            true
        default: false
        }
    }

    /// ASCII white space as `Character.isWhitespace` sees it.
    private static func isWhiteSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// Whether every ASCII byte is a grapheme cluster of its own (CR LF aside), so that comparing bytes
    /// gives what comparing `Character`s gives. A combining mark after `}` or a prepended concatenation mark
    /// before `{` would join them.
    private func graphemesAreBytes() -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            // A run of non-ASCII bytes: check it against the ASCII characters on either side.
            let start = index
            while index < bytes.count, bytes[index] >= 0x80 { index += 1 }
            let before = start > 0 ? start - 1 : start
            let after = index < bytes.count ? index + 1 : index
            let run = String(decoding: bytes[before..<after], as: UTF8.self)
            let inner = String(decoding: bytes[start..<index], as: UTF8.self)
            if run.count != inner.count + (start - before) + (after - index) { return false }
        }
        return true
    }
}
