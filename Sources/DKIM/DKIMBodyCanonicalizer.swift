import COpenSSL

/// Body canonicalisation and hashing (RFC 6376 §3.4.3, §3.4.4, §3.7) in one pass over the body octets, without
/// copying the body: canonical octets are gathered in a fixed scratch buffer and fed to the digest in blocks.
struct DKIMBodyCanonicalizer: ~Copyable {
    private var hasher: DKIMHasher
    private let algorithm: DKIMCanonicalizationAlgorithm
    /// `l=`: hash at most this many canonical octets (RFC 6376 §3.5).
    private let limit: Int?
    private let scratch: UnsafeMutableRawBufferPointer
    private var scratchCount = 0
    /// Canonical octets produced so far (all of them, past `limit` too).
    private(set) var canonicalLength = 0
    private var hashedLength = 0
    /// Empty lines seen but not yet emitted: they count only if a non-empty line follows (§3.4.3, §3.4.4).
    private var pendingEmptyLines = 0
    private var emittedAnyLine = false

    private static let scratchSize = 16 * 1024
    private static let crlf: [UInt8] = [0x0D, 0x0A]

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
        guard let base = body.baseAddress else { return }
        var start = 0
        while start < body.count {
            let remaining = body.count - start
            let found = memchr(base + start, 0x0A, remaining)
            var end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? body.count
            let next = end + 1
            if found != nil && end > start && body[end - 1] == 0x0D {
                end -= 1
            }
            switch algorithm {
            case .simple: simpleLine(base + start, end - start)
            case .relaxed: relaxedLine(base + start, end - start)
            }
            start = next
        }
    }

    /// Finalises the digest; call once.
    mutating func finish() -> [UInt8] {
        // §3.4.3: "If there is no body or no CRLF at the end, CRLF is added" — an empty (or all-empty-lines)
        // body canonicalises to a single CRLF. §3.4.4: under relaxed it stays empty.
        if algorithm == .simple && !emittedAnyLine {
            Self.crlf.withUnsafeBytes { emit($0.baseAddress!, 2) }
        }
        flush()
        return hasher.finish()
    }

    private mutating func simpleLine(_ line: UnsafeRawPointer, _ length: Int) {
        guard length > 0 else {
            pendingEmptyLines += 1
            return
        }
        emitPendingEmptyLines()
        emit(line, length)
        Self.crlf.withUnsafeBytes { emit($0.baseAddress!, 2) }
        emittedAnyLine = true
    }

    // §3.4.4: "Ignore all whitespace at the end of lines. ... Reduce all sequences of WSP within a line to a
    // single SP character." Runs of non-WSP octets are copied whole.
    private mutating func relaxedLine(_ line: UnsafeRawPointer, _ length: Int) {
        var index = 0
        var wroteSomething = false
        var pendingSpace = false
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        while index < length {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = true
                index += 1
                continue
            }
            var runEnd = index + 1
            while runEnd < length && bytes[runEnd] != 0x20 && bytes[runEnd] != 0x09 {
                runEnd += 1
            }
            if !wroteSomething {
                emitPendingEmptyLines()
                wroteSomething = true
            }
            if pendingSpace {
                var space: UInt8 = 0x20
                emit(&space, 1)
                pendingSpace = false
            }
            emit(line + index, runEnd - index)
            index = runEnd
        }
        if wroteSomething {
            Self.crlf.withUnsafeBytes { emit($0.baseAddress!, 2) }
            emittedAnyLine = true
        } else {
            pendingEmptyLines += 1
        }
    }

    private mutating func emitPendingEmptyLines() {
        while pendingEmptyLines > 0 {
            Self.crlf.withUnsafeBytes { emit($0.baseAddress!, 2) }
            pendingEmptyLines -= 1
        }
    }

    private mutating func emit(_ bytes: UnsafeRawPointer, _ count: Int) {
        canonicalLength += count
        var count = count
        if let limit {
            count = min(count, limit - hashedLength)
            guard count > 0 else { return }
        }
        hashedLength += count
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
