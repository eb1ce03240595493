/// A streaming CSV reader (RFC 4180): fields separated by commas, records by CRLF or LF, quoted fields with
/// `""` for a quote and line breaks inside. Bytes come in chunks of any size, so files of any size are read in
/// constant memory. Each record carries the line number it starts on, for error reports.
public struct CSVReader {
    /// One record: its fields and the 1-based line it starts on.
    public struct Record: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    /// A record the reader could not take apart.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }

        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The fields of the record being read, unquoted, one after another; `ends[i]` is where field `i` ends.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var inQuotes = false
    private var quoteClosed = false
    private var fieldStarted = false
    private var pendingCR = false
    private var line = 1
    private var recordLine = 1
    private var garbageAfterQuote = false

    public init() {}

    /// Feeds a chunk; calls `body` for every record it completes.
    public mutating func feed(_ chunk: some Collection<UInt8>, _ body: (Result<Record, Malformed>) throws -> Void)
        rethrows
    {
        try feedRaw(chunk) { try body($0.map(\.record)) }
    }

    /// Ends the input: the last record, if it has no line break after it.
    public mutating func finish(_ body: (Result<Record, Malformed>) throws -> Void) rethrows {
        try finishRaw { try body($0.map(\.record)) }
    }

    /// `feed`, handing over records as bytes (no string per field).
    mutating func feedRaw(_ chunk: some Collection<UInt8>, _ body: (Result<RawCSVRecord, Malformed>) throws -> Void)
        rethrows
    {
        if try chunk.withContiguousStorageIfAvailable({ try feedRaw(bytes: $0, body) }) != nil { return }
        try Array(chunk).withUnsafeBufferPointer { try feedRaw(bytes: $0, body) }
    }

    /// The state machine over a chunk in memory. Runs of ordinary bytes (inside quotes: anything but a quote;
    /// outside: anything but a comma, quote or line break) are copied at once rather than byte by byte.
    private mutating func feedRaw(
        bytes chunk: UnsafeBufferPointer<UInt8>, _ body: (Result<RawCSVRecord, Malformed>) throws -> Void
    ) rethrows {
        var index = 0
        let count = chunk.count
        while index < count {
            let byte = chunk[index]
            if pendingCR {
                pendingCR = false
                if byte == 0x0A {  // CRLF: the CR already ended the record
                    index += 1
                    continue
                }
            }
            if inQuotes {
                var end = index
                while end < count, chunk[end] != 0x22 {
                    if chunk[end] == 0x0A { line += 1 }
                    end += 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[index..<end]))
                if end < count {
                    inQuotes = false
                    quoteClosed = true
                    end += 1
                }
                index = end
                continue
            }
            switch byte {
            case 0x22:  // "
                if quoteClosed {
                    // "" inside a quoted field: a literal quote.
                    bytes.append(0x22)
                    inQuotes = true
                    quoteClosed = false
                } else if !fieldStarted {
                    inQuotes = true
                    fieldStarted = true
                } else {
                    bytes.append(byte)  // a quote inside an unquoted field: kept, as most readers do
                }
                index += 1
            case 0x2C:  // ,
                endField()
                index += 1
            case 0x0D, 0x0A:
                pendingCR = byte == 0x0D
                try endRecord(body)
                line += 1
                recordLine = line
                index += 1
            default:
                if quoteClosed { garbageAfterQuote = true }
                var end = index + 1
                while end < count, !Self.isSpecial(chunk[end]) { end += 1 }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[index..<end]))
                fieldStarted = true
                index = end
            }
        }
    }

    /// `finish`, handing over the record as bytes.
    mutating func finishRaw(_ body: (Result<RawCSVRecord, Malformed>) throws -> Void) rethrows {
        if inQuotes {
            inQuotes = false
            bytes.removeAll()
            ends.removeAll()
            fieldStarted = false
            try body(
                .failure(Malformed(line: recordLine, reason: "quoted field not closed before the end of the file")))
            return
        }
        if fieldStarted || !ends.isEmpty || quoteClosed { try endRecord(body) }
    }

    /// A byte that ends a run of ordinary bytes outside quotes: `,` `"` CR LF.
    @inline(__always)
    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
    }

    private mutating func endField() {
        ends.append(bytes.count)
        fieldStarted = false
        quoteClosed = false
    }

    private mutating func endRecord(_ body: (Result<RawCSVRecord, Malformed>) throws -> Void) rethrows {
        let blank = ends.isEmpty && !fieldStarted && !quoteClosed
        endField()
        let broken = garbageAfterQuote
        garbageAfterQuote = false
        defer {
            bytes.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }
        if blank { return }  // empty lines are skipped
        if broken {
            try body(.failure(Malformed(line: recordLine, reason: "characters after a closing quote")))
        } else {
            try body(.success(RawCSVRecord(line: recordLine, bytes: bytes, ends: ends)))
        }
    }
}
