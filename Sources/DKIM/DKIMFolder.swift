/// Greedy folding at atom boundaries (RFC 5322 §2.2.3), written straight into a buffer: an atom that would pass
/// the line width starts a new line (CRLF, then the atom's own leading space, or a space if it has none).
struct DKIMFolder {
    private let buffer: UnsafeMutableRawBufferPointer
    /// Octets written.
    private(set) var count = 0
    /// Octets on the current line.
    private(set) var column = 0

    /// Starts the field with `start` (its name and colon) at the beginning of `buffer`.
    init(_ buffer: UnsafeMutableRawBufferPointer, start: StaticString) {
        self.buffer = buffer
        write(start)
    }

    /// Starts an atom of `length` octets: a new line first if it would not fit on this one, and a space if the
    /// atom starts a line and has no `leadingSpace` of its own.
    mutating func beginAtom(length: Int, leadingSpace: Bool) {
        if column + length > DKIMSignatureBuilder.lineWidth && column > 1 {
            breakLine()
        }
        if column == 0 && !leadingSpace {
            write(" ")
        }
    }

    /// An atom of up to three pieces, such as `" d="`, the domain, `";"`.
    mutating func appendAtom(_ first: StaticString, _ second: String = "", _ third: StaticString = "") {
        let length = first.utf8CodeUnitCount + second.utf8.count + third.utf8CodeUnitCount
        beginAtom(length: length, leadingSpace: first.utf8CodeUnitCount > 0 && first.utf8Start.pointee == 0x20)
        write(first)
        write(second)
        write(third)
    }

    mutating func breakLine() {
        write("\r\n")
        column = 0
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= buffer.count, "DKIM-Signature field larger than its estimate")
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
        column += bytes.count
    }

    mutating func write(_ text: StaticString) {
        write(text.bytes)
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// `bytes` in base64, unfolded.
    mutating func writeBase64(_ bytes: [UInt8]) {
        let length = (bytes.count + 2) / 3 * 4
        precondition(count + length <= buffer.count, "DKIM-Signature field larger than its estimate")
        DKIMBase64.write(bytes, to: buffer.baseAddress! + count)
        count += length
        column += length
    }
}

extension StaticString {
    /// The UTF-8 octets (static strings in this module are ASCII literals).
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: utf8Start, count: utf8CodeUnitCount)
    }
}
