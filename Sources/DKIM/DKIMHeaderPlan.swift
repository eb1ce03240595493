/// The header fields a signer signs (RFC 6376 §5.4), prepared once per signer: the names lower-cased, without
/// repeats, kept in one run of octets, each with its over-signing flag (§8.15). Choosing the fields of a message
/// then compares octets and makes no String.
struct DKIMHeaderPlan: Sendable {
    struct Entry: Sendable {
        /// The name, in `names`.
        var range: Range<Int>
        var oversign: Bool
    }

    private(set) var names: [UInt8] = []
    private(set) var entries: [Entry] = []

    init(headers: [String], oversigned: Set<String>) {
        let oversigned = Set(oversigned.map(asciiLowercased))
        var seen: Set<String> = []
        for header in headers {
            let name = asciiLowercased(header)
            guard seen.insert(name).inserted else { continue }
            let start = names.count
            names.append(contentsOf: name.utf8)
            entries.append(Entry(range: start..<names.count, oversign: oversigned.contains(name)))
        }
    }

    func name(_ entry: Int) -> String {
        String(decoding: names[entries[entry].range], as: UTF8.self)
    }

    /// The fields of a message to sign, in `h=` order, each with its plan entry: for each name, its instances
    /// bottom-up, the order in which the verifier takes them (§5.4.2).
    func select(
        _ section: DKIMHeaderSection, in header: UnsafeRawBufferPointer
    ) -> (fields: [(field: DKIMHeaderSection.Field, entry: Int)], counts: [Int]) {
        var counts = [Int](filledWith: 0, count: entries.count)
        var entryOfField = [Int](filledWith: -1, count: section.fields.count)
        names.withUnsafeBytes { names in
            for (index, field) in section.fields.enumerated() {
                let length = field.nameEnd - field.start
                for (entry, plan) in entries.enumerated() where plan.range.count == length {
                    guard Self.name(of: field, in: header, is: UnsafeRawBufferPointer(rebasing: names[plan.range]))
                    else { continue }
                    entryOfField[index] = entry
                    counts[entry] += 1
                    break
                }
            }
        }
        var selected: [(field: DKIMHeaderSection.Field, entry: Int)] = []
        selected.reserveCapacity(counts.reduce(0, +))
        for entry in entries.indices where counts[entry] > 0 {
            for index in section.fields.indices.reversed() where entryOfField[index] == entry {
                selected.append((section.fields[index], entry))
            }
        }
        return (selected, counts)
    }

    // RFC 6376 §5.4.2: each instance of a signed field is listed once (the verifier takes them bottom-up);
    // §8.15: an over-signed field is listed once more than it occurs — the extra names come last, as in RFC 8463
    // Appendix A — so that any further instance fails verification.
    /// The `h=` list as ranges of `names`, given how many fields of each entry's name the message has.
    func signedNames(counts: [Int]) -> [Range<Int>] {
        var list: [Range<Int>] = []
        list.reserveCapacity(counts.reduce(0, +) + entries.count)
        for (entry, count) in zip(entries, counts) {
            list.append(contentsOf: repeatElement(entry.range, count: count))
        }
        for entry in entries where entry.oversign {
            list.append(entry.range)
        }
        return list
    }

    /// Whether the field's name is `lowercased`, ignoring ASCII case (RFC 5322 §1.2.2: names are
    /// case-insensitive).
    static func name(
        of field: DKIMHeaderSection.Field, in header: UnsafeRawBufferPointer, is lowercased: UnsafeRawBufferPointer
    ) -> Bool {
        guard field.nameEnd - field.start == lowercased.count else { return false }
        for offset in 0..<lowercased.count {
            let byte = header[field.start + offset]
            let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if folded != lowercased[offset] {
                return false
            }
        }
        return true
    }
}
