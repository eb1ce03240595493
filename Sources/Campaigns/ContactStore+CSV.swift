import Foundation

/// Export as CSV (RFC 4180): the import's columns, custom fields as one JSON column so that every contact
/// fits one header — what `petrel contacts import` reads back.
extension ContactStore {
    public static let csvHeader = "email,first_name,last_name,status,tags,fields\r\n"

    /// Writes the header and one line per contact (of `list`, matching `segment`, `limit` at most; id order),
    /// in pieces of about `chunkSize` octets. Returns how many were written.
    @discardableResult
    public func writeCSV(
        list: String? = nil, segment: Segment? = nil, limit: Int? = nil, chunkSize: Int = 1 << 16,
        to write: (String) throws -> Void
    ) throws -> Int {
        var buffer = Self.csvHeader
        var count = 0
        try forEach(list: list, segment: segment, limit: limit) { contact in
            let fields =
                (try? JSONSerialization.data(withJSONObject: contact.fields, options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            buffer +=
                [
                    contact.email, contact.firstName, contact.lastName, contact.status.rawValue,
                    contact.tags.joined(separator: ","), fields,
                ].map(CSVField.quoted).joined(separator: ",") + "\r\n"
            count += 1
            if buffer.utf8.count >= chunkSize {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try write(buffer) }
        return count
    }
}
