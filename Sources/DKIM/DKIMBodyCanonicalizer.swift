import COpenSSL

/// Body canonicalisation and hashing (RFC 6376 §3.4.3, §3.4.4, §3.7) in one pass over the body octets.
///
/// Canonical output that is a contiguous stretch of the input (the usual case: CRLF lines with nothing to
/// change) is hashed in place as one span, without copying; octets the canonicaliser makes up (a CRLF, a single
/// SP for a run of WSP) and short scattered spans are gathered in a fixed scratch buffer. Order is kept: the
/// stream is always the scratch contents followed by the pending input span.
struct DKIMBodyCanonicalizer: ~Copyable {
    private var hasher: DKIMHasher
    private let algorithm: DKIMCanonicalizationAlgorithm
    /// `l=`: hash at most this many canonical octets (RFC 6376 §3.5).
    private let limit: Int?
    private let scratch: UnsafeMutableRawBufferPointer
    private var scratchCount = 0
    /// Input octets emitted but not yet hashed, to be extended while the next output continues right after it.
    private var span: UnsafeRawPointer?
    private var spanCount = 0
    /// Canonical octets produced so far (all of them, past `limit` too).
    private(set) var canonicalLength = 0
    private var hashedLength = 0
    /// Empty lines seen but not yet emitted: they count only if a non-empty line follows (§3.4.3, §3.4.4).
    private var pendingEmptyLines = 0
    private var emittedAnyLine = false

    private static let scratchSize = 16 * 1024

    init(_ algorithm: DKIMCanonicalizationAlgorithm, function: DKIMHasher.Function = .sha256, limit: Int? = nil) {
        hasher = DKIMHasher(function)
        self.algorithm = algorithm
        self.limit = limit
        scratch = .allocate(byteCount: Self.scratchSize, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    /// Canonicalises and hashes a whole body; returns the digest and the length of the canonical body.
    static func hash(
        body: UnsafeRawBufferPointer, _ algorithm: DKIMCanonicalizationAlgorithm,
        function: DKIMHasher.Function = .sha256, limit: Int? = nil
    ) -> (digest: [UInt8], canonicalLength: Int) {
        var canonicalizer = DKIMBodyCanonicalizer(algorithm, function: function, limit: limit)
        canonicalizer.process(body)
        let digest = canonicalizer.finish()
        return (digest, canonicalizer.canonicalLength)
    }

    /// Processes the complete body. Lines end in CRLF or a bare LF (treated as CRLF); an unterminated last line
    /// gets a CRLF (§3.4.3 "no CRLF at the end", §3.4.4 "add a CRLF").
    mutating func process(_ body: UnsafeRawBufferPointer) {
        if algorithm == .relaxed, let contentEnd = Self.relaxedContentEnd(body) {
            processRelaxed(body, contentEnd: contentEnd)
        } else {
            processLines(body)
        }
    }

    /// The general path, one line at a time: `simple`, and `relaxed` bodies that end in a stray CR.
    private mutating func processLines(_ body: UnsafeRawBufferPointer) {
        guard let base = body.baseAddress else { return }
        var start = 0
        while start < body.count {
            let found = memchr(base + start, 0x0A, body.count - start)
            let lineFeed = found.map { base.distance(to: UnsafeRawPointer($0)) }
            var end = lineFeed ?? body.count
            let hasCRLF = lineFeed != nil && end > start && body[end - 1] == 0x0D
            if hasCRLF {
                end -= 1
            }
            switch algorithm {
            case .simple: simpleLine(base + start, end - start, hasCRLF: hasCRLF)
            case .relaxed: relaxedLine(base + start, end - start, hasCRLF: hasCRLF)
            }
            start = (lineFeed ?? body.count) + 1
        }
    }

    /// Finalises the digest; call once.
    mutating func finish() -> [UInt8] {
        // §3.4.3: "If there is no body or no CRLF at the end, CRLF is added" — an empty (or all-empty-lines)
        // body canonicalises to a single CRLF. §3.4.4: under relaxed it stays empty.
        if algorithm == .simple && !emittedAnyLine {
            emitCRLF()
        }
        retireSpan()
        flush()
        return hasher.finish()
    }

    /// `line` holds `length` content octets; when `hasCRLF`, the input's CRLF follows them and is copied along.
    private mutating func simpleLine(_ line: UnsafeRawPointer, _ length: Int, hasCRLF: Bool) {
        guard length > 0 else {
            pendingEmptyLines += 1
            return
        }
        emitPendingEmptyLines()
        if hasCRLF {
            emitInput(line, length + 2)
        } else {
            emitInput(line, length)
            emitCRLF()
        }
        emittedAnyLine = true
    }

    // §3.4.4: "Ignore all whitespace at the end of lines. ... Reduce all sequences of WSP within a line to a
    // single SP character." Input that is already canonical (single SPs between words, no trailing WSP, CRLF) is
    // copied in one span; only the WSP runs that change break the span.
    private mutating func relaxedLine(_ line: UnsafeRawPointer, _ length: Int, hasCRLF: Bool) {
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        var contentEnd = length
        while contentEnd > 0 && (bytes[contentEnd - 1] == 0x20 || bytes[contentEnd - 1] == 0x09) {
            contentEnd -= 1
        }
        guard contentEnd > 0 else {
            pendingEmptyLines += 1
            return
        }
        emitPendingEmptyLines()
        var spanStart = 0
        var index = 0
        let space = SIMD16<UInt8>(repeating: 0x20)
        let tab = SIMD16<UInt8>(repeating: 0x09)
        while index < contentEnd {
            // Skip 16 octets at a time while nothing in them changes: no HTAB, no SP followed by WSP (this also
            // looks at the octet after the block, so a run cannot straddle it unseen).
            // The last block of the line overlaps the previous one instead of falling back to single octets; the
            // octet at contentEnd - 1 is not WSP, so a clean window ending there clears the rest of the line.
            if contentEnd >= 17 {
                let blockStart = min(index, contentEnd - 17)
                let chunk = (line + blockStart).loadUnaligned(as: SIMD16<UInt8>.self)
                let next = (line + blockStart + 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let changes = (chunk .== tab) .| ((chunk .== space) .& ((next .== space) .| (next .== tab)))
                if !any(changes) {
                    index = blockStart + 16
                    if index == contentEnd - 1 { index = contentEnd }
                    continue
                }
            }
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x09 else {
                index += 1
                continue
            }
            var runEnd = index + 1
            while bytes[runEnd] == 0x20 || bytes[runEnd] == 0x09 {  // contentEnd ends in non-WSP: no overrun
                runEnd += 1
            }
            if byte == 0x09 || runEnd - index > 1 {
                emitInput(line + spanStart, index - spanStart)
                var single: UInt8 = 0x20
                emitCopy(&single, 1)
                spanStart = runEnd
            }
            index = runEnd
        }
        if hasCRLF && contentEnd == length {
            emitInput(line + spanStart, contentEnd - spanStart + 2)
        } else {
            emitInput(line + spanStart, contentEnd - spanStart)
            emitCRLF()
        }
        emittedAnyLine = true
    }

    mutating func emitCRLF() {
        var crlf: (UInt8, UInt8) = (0x0D, 0x0A)
        withUnsafeBytes(of: &crlf) { emitCopy($0.baseAddress!, 2) }
    }

    private mutating func emitPendingEmptyLines() {
        while pendingEmptyLines > 0 {
            emitCRLF()
            pendingEmptyLines -= 1
        }
    }

    /// Counts `count` output octets against `l=`; how many of them are to be hashed.
    private mutating func admit(_ count: Int) -> Int {
        canonicalLength += count
        var count = count
        if let limit {
            count = min(count, limit - hashedLength)
            guard count > 0 else { return 0 }
        }
        hashedLength += count
        return count
    }

    /// Output octets that live in the input body (stable for the whole pass).
    mutating func emitInput(_ bytes: UnsafeRawPointer, _ count: Int) {
        guard count > 0 else { return }
        let admitted = admit(count)
        guard admitted > 0 else { return }
        if let span, span + spanCount == bytes {
            spanCount += admitted
            return
        }
        retireSpan()
        span = bytes
        spanCount = admitted
    }

    /// Output octets made up by the canonicaliser (they live in temporaries): always copied.
    mutating func emitCopy(_ bytes: UnsafeRawPointer, _ count: Int) {
        let admitted = admit(count)
        guard admitted > 0 else { return }
        retireSpan()
        copyToScratch(bytes, admitted)
    }

    /// Moves the pending input span into the stream: short ones are copied behind the scratch contents, long ones
    /// are hashed in place after the scratch is flushed.
    private mutating func retireSpan() {
        guard let span else { return }
        if spanCount < 512 {
            copyToScratch(span, spanCount)
        } else {
            flush()
            hasher.update(UnsafeRawBufferPointer(start: span, count: spanCount))
        }
        self.span = nil
        spanCount = 0
    }

    private mutating func copyToScratch(_ bytes: UnsafeRawPointer, _ count: Int) {
        if scratchCount + count > Self.scratchSize {
            flush()
        }
        if count >= Self.scratchSize {
            hasher.update(UnsafeRawBufferPointer(start: bytes, count: count))
            return
        }
        (scratch.baseAddress! + scratchCount).copyMemory(from: bytes, byteCount: count)
        scratchCount += count
    }

    private mutating func flush() {
        guard scratchCount > 0 else { return }
        hasher.update(UnsafeRawBufferPointer(start: scratch.baseAddress, count: scratchCount))
        scratchCount = 0
    }
}
