import COpenSSL

// RFC 6376 §3.4.4, the "relaxed" body canonicalisation, done over the whole body at once:
//  - "Ignore all whitespace at the end of lines. Implementations MUST NOT remove the CRLF at the end of the line."
//  - "Reduce all sequences of WSP within a line to a single SP character."
//  - "Ignore all empty lines at the end of the message body."
//
// Well-formed mail is canonical already almost everywhere, so the body is not taken line by line: a vector scan
// looks for the few places where the canonical form differs from the input (a HTAB, a SP followed by WSP or by
// the line break, a bare LF) and the octets between them go to the hash as one span.
extension DKIMBodyCanonicalizer {
    /// Where the last non-empty line of a relaxed body ends (after its LF, or the body's end when it has none);
    /// everything after it is empty lines, which §3.4.4 drops. Nil when a CR that does not start a CRLF is in
    /// the trailing white space: such a CR is line content, and the line-by-line path decides.
    static func relaxedContentEnd(_ body: UnsafeRawBufferPointer) -> Int? {
        var index = body.count
        while index > 0 {
            let byte = body[index - 1]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A else { break }
            if byte == 0x0D && (index == body.count || body[index] != 0x0A) { return nil }
            index -= 1
        }
        guard index > 0, let base = body.baseAddress else { return 0 }
        // body[index - 1] is content (no WSP, CR or LF): its line is the last non-empty one.
        guard let lineFeed = memchr(base + index, 0x0A, body.count - index) else { return body.count }
        return base.distance(to: UnsafeRawPointer(lineFeed)) + 1
    }

    /// Canonicalises `body[0..<contentEnd]` (every line in it is followed by a non-empty line or is the last
    /// non-empty line, so an empty line there is kept as CRLF).
    mutating func processRelaxed(_ body: UnsafeRawBufferPointer, contentEnd: Int) {
        guard let base = body.baseAddress, contentEnd > 0 else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var spanStart = 0
        var position = 0
        while let event = Self.nextRelaxedChange(bytes, from: position, end: contentEnd, count: body.count) {
            if bytes[event] == 0x0A {
                // A bare LF ends the line: CRLF instead.
                emitInput(base + spanStart, event - spanStart)
                emitCRLF()
                spanStart = event + 1
                position = spanStart
                continue
            }
            // A run of WSP starts at `event`.
            var runEnd = event + 1
            while runEnd < contentEnd && (bytes[runEnd] == 0x20 || bytes[runEnd] == 0x09) {
                runEnd += 1
            }
            if runEnd == body.count || bytes[runEnd] == 0x0A {
                // Trailing WSP, then the end of an unterminated last line or a bare LF: drop it, end with CRLF.
                emitInput(base + spanStart, event - spanStart)
                emitCRLF()
                runEnd = min(runEnd + 1, body.count)
                spanStart = runEnd
            } else if bytes[runEnd] == 0x0D && runEnd + 1 < body.count && bytes[runEnd + 1] == 0x0A {
                // Trailing WSP before the CRLF: drop it; the CRLF itself is input.
                emitInput(base + spanStart, event - spanStart)
                spanStart = runEnd
                runEnd += 2
            } else if runEnd - event > 1 || bytes[event] == 0x09 {
                // Inside the line: one SP for the run.
                emitInput(base + spanStart, event - spanStart)
                var single: UInt8 = 0x20
                emitCopy(&single, 1)
                spanStart = runEnd
            }
            // Otherwise a single SP before a CR that is content: nothing changes.
            position = runEnd
        }
        if spanStart < contentEnd {
            emitInput(base + spanStart, contentEnd - spanStart)
            if bytes[contentEnd - 1] != 0x0A {
                emitCRLF()  // §3.4.4 "add a CRLF" to an unterminated last line
            }
        }
    }

    /// The first position at or after `start` and before `end` where the canonical form may differ from the
    /// input: a HTAB, a SP followed by WSP, CR or LF (or by the end of the body), or a LF not preceded by CR.
    /// A SP before a CR that is line content is reported too; the caller leaves it alone.
    private static func nextRelaxedChange(
        _ bytes: UnsafePointer<UInt8>, from start: Int, end: Int, count: Int
    ) -> Int? {
        var index = start
        while index < end {
            // A stretch with no SP or HTAB at all (a base64 attachment, say) can only hold a bare LF: libc's
            // vectorised memchr finds where it ends, and a lighter check covers it. Text is scanned in full.
            let limit = min(end, index &+ 4096)
            let stretchEnd = find(0x09, bytes, from: index, to: find(0x20, bytes, from: index, to: limit))
            if stretchEnd &- index >= 128 {
                if let lineFeed = bareLineFeed(bytes, from: index, to: stretchEnd) { return lineFeed }
                index = stretchEnd
                continue
            }
            if let change = scanForChange(bytes, from: index, end: limit, count: count) { return change }
            index = limit
        }
        return nil
    }

    /// The first `byte` in `bytes[start..<end]`, or `end`.
    @inline(__always)
    private static func find(_ byte: UInt8, _ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let found = memchr(bytes + start, Int32(byte), end &- start) else { return end }
        return UnsafeRawPointer(bytes).distance(to: UnsafeRawPointer(found))
    }

    /// The first LF in `bytes[start..<end]` not preceded by CR.
    private static func bareLineFeed(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let raw = UnsafeRawPointer(bytes)
        let lineFeed = SIMD16<UInt8>(repeating: 0x0A)
        let carriageReturn = SIMD16<UInt8>(repeating: 0x0D)
        @inline(__always) func bare(_ block: UnsafeRawPointer) -> SIMDMask<SIMD16<Int8>> {
            let previous = (block - 1).loadUnaligned(as: SIMD16<UInt8>.self)
            let current = block.loadUnaligned(as: SIMD16<UInt8>.self)
            return (current .== lineFeed) .& .!(previous .== carriageReturn)
        }
        var index = start
        if index == 0 {
            if end > 0 && bytes[0] == 0x0A { return 0 }
            index = 1
        }
        while index &+ 64 <= end {
            let found =
                bare(raw + index) .| bare(raw + (index &+ 16)) .| bare(raw + (index &+ 32)) .| bare(raw + (index &+ 48))
            if !isClear(found) { break }
            index &+= 64
        }
        while index < end {
            if bytes[index] == 0x0A && bytes[index &- 1] != 0x0D { return index }
            index &+= 1
        }
        return nil
    }

    /// `nextRelaxedChange` over any text: every octet checked, 16 at a time.
    private static func scanForChange(
        _ bytes: UnsafePointer<UInt8>, from start: Int, end: Int, count: Int
    ) -> Int? {
        let raw = UnsafeRawPointer(bytes)
        var index = start
        while index < end {
            guard index > 0 && index &+ 17 <= end else {
                // The first octet and the last few: one at a time.
                if isRelaxedChange(bytes, at: index, count: count) { return index }
                index &+= 1
                continue
            }
            // Skip clean blocks, 64 octets at a time (four independent checks), then 16.
            while index &+ 65 <= end {
                let changes =
                    blockChanges(raw + index) .| blockChanges(raw + (index &+ 16))
                    .| blockChanges(raw + (index &+ 32)) .| blockChanges(raw + (index &+ 48))
                if !isClear(changes) { break }
                index &+= 64
            }
            guard index &+ 17 <= end else { continue }
            guard let offset = firstSet(blockChanges(raw + index)) else {
                index &+= 16
                continue
            }
            // The block check over-approximates (a SP before any control octet): confirm the octet it found.
            let position = index &+ offset
            if isRelaxedChange(bytes, at: position, count: count) { return position }
            index = position &+ 1
        }
        return nil
    }

    /// The exact test behind `nextRelaxedChange`, for one octet.
    @inline(__always)
    private static func isRelaxedChange(_ bytes: UnsafePointer<UInt8>, at index: Int, count: Int) -> Bool {
        switch bytes[index] {
        case 0x09:
            return true
        case 0x20:
            guard index &+ 1 < count else { return true }
            let next = bytes[index &+ 1]
            return next == 0x20 || next == 0x09 || next == 0x0D || next == 0x0A
        case 0x0A:
            return index == 0 || bytes[index &- 1] != 0x0D
        default:
            return false
        }
    }

    /// Which of the 16 octets at `block` may change, each judged with its neighbours (so `block - 1` through
    /// `block + 16` must be readable): a HTAB; a SP followed by an octet up to SP (SP, HTAB, CR, LF, or another
    /// control octet, which the exact check then clears); a LF not preceded by CR.
    @inline(__always)
    private static func blockChanges(_ block: UnsafeRawPointer) -> SIMDMask<SIMD16<Int8>> {
        let space = SIMD16<UInt8>(repeating: 0x20)
        let previous = (block - 1).loadUnaligned(as: SIMD16<UInt8>.self)
        let current = block.loadUnaligned(as: SIMD16<UInt8>.self)
        let next = (block + 1).loadUnaligned(as: SIMD16<UInt8>.self)
        return (current .== SIMD16(repeating: 0x09)) .| ((current .== space) .& (next .<= space))
            .| ((current .== SIMD16(repeating: 0x0A)) .& .!(previous .== SIMD16(repeating: 0x0D)))
    }

    /// `!any(mask)`, written out: the generic reduction behind `any` is not always inlined.
    @inline(__always)
    private static func isClear(_ mask: SIMDMask<SIMD16<Int8>>) -> Bool {
        let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        return lanes[0] | lanes[1] == 0
    }

    /// The index of the first set lane (each lane is all ones or all zeros), or nil.
    @inline(__always)
    private static func firstSet(_ mask: SIMDMask<SIMD16<Int8>>) -> Int? {
        let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
        if lanes[0] != 0 { return lanes[0].trailingZeroBitCount >> 3 }
        if lanes[1] != 0 { return 8 + lanes[1].trailingZeroBitCount >> 3 }
        return nil
    }
}
