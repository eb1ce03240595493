import Campaigns
import Testing

@Suite struct CSVReaderTests {
    /// Reads `text` fed in chunks of `chunk` bytes.
    func read(_ text: String, chunk: Int = 1 << 20) -> [Result<CSVReader.Record, CSVReader.Malformed>] {
        var reader = CSVReader()
        var out: [Result<CSVReader.Record, CSVReader.Malformed>] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            reader.feed(bytes[start..<min(start + chunk, bytes.count)]) { out.append($0) }
            start += chunk
        }
        reader.finish { out.append($0) }
        return out
    }

    func records(_ text: String) -> [[String]] {
        read(text).compactMap { try? $0.get().fields }
    }

    @Test func rfc4180QuotingAndLineBreaks() {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nplain,,end\r\n"
        #expect(records(text) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\r\nlines"], ["plain", "", "end"]])
    }

    @Test func lfOnlyAndNoFinalLineBreakAndBlankLines() {
        #expect(records("a,b\n\n1,2\n3,4") == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(records("a,b\r\n\r\n") == [["a", "b"]])
        #expect(records("\"\"\n,\n") == [[""], ["", ""]])
    }

    @Test func chunkBoundariesDoNotMatter() {
        let text = "email,name\r\n\"q\"\"uoted\",\"multi\r\nline\"\r\nlast,row\r\n"
        let whole = read(text)
        for chunk in 1...7 {
            #expect(read(text, chunk: chunk) == whole, "chunk size \(chunk)")
        }
    }

    @Test func recordsCarryTheLineTheyStartOn() {
        let lines = read("h\n\"a\nb\nc\"\n\nd\n").compactMap { try? $0.get().line }
        #expect(lines == [1, 2, 6])
    }

    @Test func malformedRecordsAreReportedWithTheirLine() {
        let results = read("a,b\n\"x\"y,z\nok,1\n\"open,2\n")
        #expect(results.count == 4)
        #expect(results[1] == .failure(CSVReader.Malformed(line: 2, reason: "characters after a closing quote")))
        #expect((try? results[2].get().fields) == ["ok", "1"])
        #expect(
            results[3]
                == .failure(CSVReader.Malformed(line: 4, reason: "quoted field not closed before the end of the file")))
    }
}
