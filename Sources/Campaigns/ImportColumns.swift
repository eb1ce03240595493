import Foundation
import Suppression

/// Where the importer's columns are, read from the header row, and the turning of one record into an
/// `ImportRow` (or the reason it is bad).
struct ImportColumns {
    var email: Int
    var firstName: Int?
    var lastName: Int?
    var tags: Int?
    var status: Int?
    /// Custom fields sorted by name, each with its JSON key text (`"name":`, UTF-8) and its columns in file
    /// order (a name given twice takes the last non-empty value).
    var custom: [(key: [UInt8], indices: [Int])]
    var count: Int

    /// The columns of a header row, and the error when it has no `email` column. Without one, no row can be
    /// imported: the columns then say so (`email` is -1) and every row is reported against that one error.
    static func header(_ fields: [String]) -> (ImportColumns, String?) {
        let names = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let email = names.firstIndex(of: "email") else {
            return (ImportColumns(email: -1, custom: [], count: -1), "header: no \"email\" column")
        }
        var custom: [String: [Int]] = [:]
        let known: Set<String> = ["email", "first_name", "last_name", "tags", "status"]
        for (index, name) in names.enumerated() where !known.contains(name) && !name.isEmpty {
            custom[fields[index].trimmingCharacters(in: .whitespaces), default: []].append(index)
        }
        let columns = ImportColumns(
            email: email, firstName: names.firstIndex(of: "first_name"), lastName: names.firstIndex(of: "last_name"),
            tags: names.firstIndex(of: "tags"), status: names.firstIndex(of: "status"),
            custom: custom.keys.sorted().map { (Array((JSONText.string($0) + ":").utf8), custom[$0] ?? []) },
            count: names.count)
        return (columns, nil)
    }

    /// The row of a record, or why it is bad (the text after `line N: `).
    func row(_ record: RawCSVRecord, normalization: AddressNormalization) -> Result<ImportRow, ImportRowProblem> {
        guard email >= 0 else { return .failure(.silent) }
        guard record.count == count else {
            return .failure(ImportRowProblem("expected \(count) fields, got \(record.count)"))
        }
        let emailBytes = record.bytes[record.trimmedRange(email)]
        if let problem = emailBytes.withUnsafeBufferPointer({ EmailSyntax.problem(bytes: $0) }) {
            return .failure(ImportRowProblem("email: \(problem)"))
        }
        var status = ContactStatus.subscribed.rawValue
        if let index = self.status, !record.isEmpty(index) {
            let text = record.string(index)
            guard let given = ContactStatus(rawValue: text.lowercased()), ContactStatus.importable.contains(given)
            else {
                return .failure(
                    ImportRowProblem(
                        "status: \"\(text)\" is not one of "
                            + ContactStatus.importable.map(\.rawValue).joined(separator: ", ")))
            }
            status = given.rawValue
        }
        return .success(
            ImportRow(
                email: normalization.normalize(String(decoding: emailBytes, as: UTF8.self)),
                firstName: firstName.map(record.string) ?? "", lastName: lastName.map(record.string) ?? "",
                status: status, tags: tags.map { Self.tagsJSON(record, $0) } ?? "[]", fields: fieldsJSON(record)))
    }

    /// `a, b,,c` → `["a","b","c"]`: split at commas, blanks trimmed, empty names dropped.
    static func tagsJSON(_ record: RawCSVRecord, _ index: Int) -> String {
        let range = record.range(index)
        guard !range.isEmpty else { return "[]" }
        var out: [UInt8] = []
        out.reserveCapacity(range.count + 16)
        out.append(UInt8(ascii: "["))
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound, record.bytes[end] != UInt8(ascii: ",") { end += 1 }
            var first = start
            var last = end
            while first < last, ContactImporter.isBlank(record.bytes[first]) { first += 1 }
            while last > first, ContactImporter.isBlank(record.bytes[last - 1]) { last -= 1 }
            if first < last {
                if out.count > 1 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(record.bytes[first..<last], to: &out)
            }
            start = end + 1
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The custom fields of a record as a JSON object; empty values are left out.
    func fieldsJSON(_ record: RawCSVRecord) -> String {
        guard !custom.isEmpty else { return "{}" }
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(64)
        for (key, indices) in custom {
            guard let index = indices.last(where: { !record.isEmpty($0) }) else { continue }
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out += key
            JSONText.appendString(record.bytes[record.range(index)], to: &out)
        }
        if out.count == 1 { return "{}" }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }
}
