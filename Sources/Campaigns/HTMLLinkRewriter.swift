import Foundation

/// The single pass behind ``TrackingLinks/rewrite(html:campaign:contact:)``: a small HTML tag tokenizer
/// (HTML Living Standard §13.2.5: tag open, attribute name and value states, comments) that copies the input
/// and replaces the href values of `<a>` tags and inserts the pixel before `</body>`.
struct HTMLLinkRewriter {
    /// An `<a>` element's href as it stood in the HTML and the URL it resolves to (nil: not tracked).
    struct KnownLink: Sendable {
        let href: [UInt8]
        let url: String?
    }

    private let input: UnsafeBufferPointer<UInt8>
    private let base: [UInt8]
    /// The anchors of an earlier rendering of the same template, in document order: an href with the same
    /// bytes at the same position resolves the same way without decoding it again.
    private let known: [KnownLink]
    private var output: [UInt8] = []
    /// Input before this index is already in `output`.
    private var copied = 0
    /// When not nil, each anchor's href and resolution is recorded here (to become `known` later).
    var learned: [KnownLink]?

    init(input: UnsafeBufferPointer<UInt8>, base: [UInt8], known: [KnownLink] = []) {
        self.input = input
        self.base = base
        self.known = known
    }

    /// An `<a>` tag's interesting attributes and where the tag ends (after `>`).
    private struct Tag {
        var end: Int
        var href: Range<Int>?
        var noTrack = false
    }

    /// The rewritten document; `appendClickURL` appends the click URL for a link's index and target.
    mutating func run(pixel: [UInt8], appendClickURL: (UInt16, String, inout [UInt8]) -> Void) -> [UInt8] {
        output.reserveCapacity(input.count + 200 + pixel.count)
        var index = 0
        var links: UInt16 = 0
        var anchors = 0
        var pixelPlaced = false
        let count = input.count
        scan: while index < count {
            guard let base = input.baseAddress,
                let found = memchr(base + index, Int32(UInt8(ascii: "<")), count - index)
            else { break }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard index + 1 < count else { break }
            let next = input[index + 1]
            if next == UInt8(ascii: "!") {
                index = skipMarkup(from: index)
            } else if next == UInt8(ascii: "/") {
                if !pixelPlaced, matches("body", at: index + 2), index + 6 >= count || isTagBoundary(input[index + 6]) {
                    flush(upTo: index)
                    output.append(contentsOf: pixel)
                    pixelPlaced = true
                }
                index += 2
            } else if isLetter(next) {
                let isAnchor = (next | 0x20) == UInt8(ascii: "a") && (index + 2 >= count || isSpace(input[index + 2]))
                var nameEnd = index + 1
                while nameEnd < count, !isSpace(input[nameEnd]), !isTagBoundary(input[nameEnd]) { nameEnd += 1 }
                guard let tag = attributes(from: nameEnd) else { break scan }
                if isAnchor, !tag.noTrack, let href = tag.href {
                    let url = resolve(href, anchor: anchors)
                    anchors += 1
                    if let url {
                        flush(upTo: href.lowerBound)
                        appendClickURL(links, url, &output)
                        copied = href.upperBound
                        links &+= 1
                    }
                }
                index = tag.end
            } else {
                index += 1
            }
        }
        flush(upTo: count)
        if !pixelPlaced { output.append(contentsOf: pixel) }
        return output
    }

    private mutating func flush(upTo end: Int) {
        guard end > copied else { return }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: input[copied..<end]))
        copied = end
    }

    /// Past a comment `<!-- … -->` or another `<!…>` declaration.
    private func skipMarkup(from start: Int) -> Int {
        let count = input.count
        if start + 3 < count, input[start + 2] == UInt8(ascii: "-"), input[start + 3] == UInt8(ascii: "-") {
            var index = start + 4
            while index + 2 < count {
                if input[index] == UInt8(ascii: "-"), input[index + 1] == UInt8(ascii: "-"),
                    input[index + 2] == UInt8(ascii: ">")
                {
                    return index + 3
                }
                index += 1
            }
            return count
        }
        var index = start + 2
        while index < count, input[index] != UInt8(ascii: ">") { index += 1 }
        return index + 1
    }

    /// The attributes from `start` to the tag's `>`; nil when the input ends first.
    private func attributes(from start: Int) -> Tag? {
        let count = input.count
        var index = start
        var tag = Tag(end: count)
        var sawHref = false
        while true {
            while index < count, isSpace(input[index]) || input[index] == UInt8(ascii: "/") { index += 1 }
            guard index < count else { return nil }
            if input[index] == UInt8(ascii: ">") {
                tag.end = index + 1
                return tag
            }
            let nameStart = index
            index += 1  // a first `=` belongs to the name (§13.2.5.32)
            while index < count, !isSpace(input[index]), !isTagBoundary(input[index]), input[index] != UInt8(ascii: "=")
            {
                index += 1
            }
            let name = nameStart..<index
            while index < count, isSpace(input[index]) { index += 1 }
            var value: Range<Int>?
            if index < count, input[index] == UInt8(ascii: "=") {
                index += 1
                while index < count, isSpace(input[index]) { index += 1 }
                guard index < count else { return nil }
                let quote = input[index]
                if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                    var end = index + 1
                    while end < count, input[end] != quote { end += 1 }
                    guard end < count else { return nil }
                    value = (index + 1)..<end
                    index = end + 1
                } else {
                    let valueStart = index
                    while index < count, !isSpace(input[index]), input[index] != UInt8(ascii: ">") { index += 1 }
                    value = valueStart..<index
                }
            }
            // Only the first of duplicate attributes counts (§13.2.5.33).
            if !sawHref, equalsIgnoringCase(name, "href") {
                sawHref = true
                tag.href = value
            } else if equalsIgnoringCase(name, "data-no-track") {
                tag.noTrack = true
            }
        }
    }

    /// ``trackable(_:)`` for the href of the `anchor`th link, from `known` when it holds the same bytes.
    private mutating func resolve(_ href: Range<Int>, anchor: Int) -> String? {
        if anchor < known.count, let start = input.baseAddress?.advanced(by: href.lowerBound) {
            let link = known[anchor]
            let same =
                link.href.count == href.count
                && link.href.withUnsafeBytes { known in
                    known.baseAddress.map { memcmp($0, start, href.count) == 0 } ?? true
                }
            if same { return link.url }
        }
        let url = trackable(href)
        if learned != nil { learned?.append(KnownLink(href: Array(input[href]), url: url)) }
        return url
    }

    /// The URL to track for an href value: decoded, trimmed, `http` or `https`, not under the base URL.
    private func trackable(_ range: Range<Int>) -> String? {
        let value = input[range]
        let decoded = value.contains(UInt8(ascii: "&")) ? HTMLEntities.decode(ArraySlice(value)) : Array(value)
        var url = decoded[...]
        // The URL parser strips leading and trailing C0 controls and spaces (WHATWG URL §4.4, basic URL parser).
        while let first = url.first, first <= 0x20 { url = url.dropFirst() }
        while let last = url.last, last <= 0x20 { url = url.dropLast() }
        guard startsIgnoringCase(url, "http://") || startsIgnoringCase(url, "https://") else { return nil }
        if startsIgnoringCase(url, base) {
            let rest = url.dropFirst(base.count)
            if rest.isEmpty || [UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#")].contains(rest.first!) {
                return nil
            }
        }
        return String(decoding: url, as: UTF8.self)
    }

    private func matches(_ word: String, at start: Int) -> Bool {
        let bytes = word.utf8
        guard start + bytes.count <= input.count else { return false }
        return zip(bytes, input[start...]).allSatisfy { $0 == $1 | 0x20 }
    }

    private func equalsIgnoringCase(_ range: Range<Int>, _ word: String) -> Bool {
        range.count == word.utf8.count && matches(word, at: range.lowerBound)
    }

    private func startsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ prefix: some Collection<UInt8>) -> Bool {
        guard bytes.count >= prefix.count else { return false }
        return zip(prefix, bytes).allSatisfy { lower($0) == lower($1) }
    }

    private func startsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        startsIgnoringCase(bytes, prefix.utf8)
    }

    private func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// HTML's ASCII whitespace: tab, LF, FF, CR, space.
    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private func isTagBoundary(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || isSpace(byte)
    }
}
