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

    private var field: [UInt8] = []
    private var fields: [String] = []
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
        for byte in chunk {
            if pendingCR {
                pendingCR = false
                if byte == 0x0A { continue }  // CRLF: the CR already ended the record
            }
            if inQuotes {
                if byte == 0x22 {
                    inQuotes = false
                    quoteClosed = true
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22:  // "
                if quoteClosed {
                    // "" inside a quoted field: a literal quote.
                    field.append(0x22)
                    inQuotes = true
                    quoteClosed = false
                } else if !fieldStarted {
                    inQuotes = true
                    fieldStarted = true
                } else {
                    field.append(byte)  // a quote inside an unquoted field: kept, as most readers do
                }
            case 0x2C:  // ,
                endField()
            case 0x0D, 0x0A:
                pendingCR = byte == 0x0D
                try endRecord(body)
                line += 1
                recordLine = line
            default:
                if quoteClosed { garbageAfterQuote = true }
                field.append(byte)
                fieldStarted = true
            }
        }
    }

    /// Ends the input: the last record, if it has no line break after it.
    public mutating func finish(_ body: (Result<Record, Malformed>) throws -> Void) rethrows {
        if inQuotes {
            inQuotes = false
            field.removeAll()
            fields.removeAll()
            fieldStarted = false
            try body(
                .failure(Malformed(line: recordLine, reason: "quoted field not closed before the end of the file")))
            return
        }
        if fieldStarted || !fields.isEmpty || quoteClosed { try endRecord(body) }
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
        quoteClosed = false
    }

    private mutating func endRecord(_ body: (Result<Record, Malformed>) throws -> Void) rethrows {
        let blank = fields.isEmpty && !fieldStarted && !quoteClosed
        endField()
        let record = fields
        fields.removeAll(keepingCapacity: true)
        let broken = garbageAfterQuote
        garbageAfterQuote = false
        if blank { return }  // empty lines are skipped
        if broken {
            try body(.failure(Malformed(line: recordLine, reason: "characters after a closing quote")))
        } else {
            try body(.success(Record(line: recordLine, fields: record)))
        }
    }
}
