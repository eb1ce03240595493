import Foundation

/// Export as JSON Lines: one JSON object per contact and line, beside the CSV export of `petrel contacts`.
extension ContactStore {
    /// Writes contacts (of `list`, matching `segment`, `limit` at most; id order) as JSON Lines, streaming:
    /// `write` receives the text in pieces of about `chunkSize` octets, each ending at a line end. Members, in
    /// this order: `id`, `email`, `first_name`, `last_name`, `status`, `tags`, `fields` (keys sorted), `lists`
    /// (names sorted), `created`, `updated` (RFC 3339, UTC, to the second). Returns how many were written.
    @discardableResult
    public func writeJSONLines(
        list: String? = nil, segment: Segment? = nil, limit: Int? = nil, chunkSize: Int = 1 << 16,
        to write: (String) throws -> Void
    ) throws -> Int {
        var buffer = ""
        buffer.reserveCapacity(chunkSize + 1024)
        var count = 0
        try forEach(list: list, segment: segment, limit: limit, withLists: true) { contact, lists in
            Self.appendJSONLine(contact, lists: lists, to: &buffer)
            count += 1
            if buffer.utf8.count >= chunkSize {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try write(buffer) }
        return count
    }

    /// `writeJSONLines` to a file (standard output, an HTTP body's file …).
    @discardableResult
    public func writeJSONLines(
        list: String? = nil, segment: Segment? = nil, limit: Int? = nil, to handle: FileHandle
    ) throws -> Int {
        try writeJSONLines(list: list, segment: segment, limit: limit) { try handle.write(contentsOf: Data($0.utf8)) }
    }

    /// One contact's line, newline included.
    static func appendJSONLine(_ contact: Contact, lists: [String], to out: inout String) {
        out += "{\"id\":\(contact.id ?? 0),\"email\":"
        JSONText.appendString(contact.email, to: &out)
        out += ",\"first_name\":"
        JSONText.appendString(contact.firstName, to: &out)
        out += ",\"last_name\":"
        JSONText.appendString(contact.lastName, to: &out)
        out += ",\"status\":\"" + contact.status.rawValue + "\",\"tags\":"
        out += JSONText.array(contact.tags)
        out += ",\"fields\":"
        out += JSONText.object(contact.fields)
        out += ",\"lists\":"
        out += JSONText.array(lists)
        out += ",\"created\":\"" + RFC3339.string(contact.created) + "\",\"updated\":\""
        out += RFC3339.string(contact.updated) + "\"}\n"
    }
}
