/// A CSV record as the reader holds it: the unquoted fields' bytes one after another and where each ends.
/// The importer reads fields from it without making a string of each.
struct RawCSVRecord {
    var line: Int
    var bytes: [UInt8]
    var ends: [Int]

    var count: Int { ends.count }

    /// Where field `index` lies in `bytes`.
    func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }

    func isEmpty(_ index: Int) -> Bool { range(index).isEmpty }

    func string(_ index: Int) -> String { String(decoding: bytes[range(index)], as: UTF8.self) }

    /// Field `index` without spaces and tabs at either end.
    func trimmedRange(_ index: Int) -> Range<Int> {
        var range = range(index)
        while let first = range.first, ContactImporter.isBlank(bytes[first]) { range = range.dropFirst() }
        while let last = range.last, ContactImporter.isBlank(bytes[last]) { range = range.dropLast() }
        return range
    }

    var record: CSVReader.Record { CSVReader.Record(line: line, fields: (0..<count).map(string)) }
}
