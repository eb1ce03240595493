/// The fields of a `message/delivery-status` body (RFC 3464 §2.1): per-message fields, then one group of
/// per-recipient fields for each recipient, groups separated by blank lines.
struct DeliveryStatusFields: Sendable {
    /// RFC 3464 §2.3: the per-recipient fields Petrel reads.
    struct Recipient: Sendable {
        var finalRecipient = ""
        var originalRecipient = ""
        var action = ""
        var status = ""
        var diagnostic = ""
        var remoteMTA = ""

        mutating func set(_ name: String, _ value: String) {
            switch name {
            case "action": action = value.lowercased()  // RFC 3464 §2.3.3
            case "status": status = value  // RFC 3464 §2.3.4
            case "diagnostic-code": diagnostic = DeliveryStatusFields.afterType(value)  // RFC 3464 §2.3.6
            case "remote-mta": remoteMTA = DeliveryStatusFields.afterType(value)  // RFC 3464 §2.3.5
            default: break
            }
        }

        /// Takes the fields this group lacks from `other`.
        mutating func fillMissing(from other: Recipient) {
            if action.isEmpty { action = other.action }
            if status.isEmpty { status = other.status }
            if diagnostic.isEmpty { diagnostic = other.diagnostic }
            if remoteMTA.isEmpty { remoteMTA = other.remoteMTA }
        }
    }

    var reportingMTA = ""
    var recipients: [Recipient] = []
    /// The per-recipient fields of a report that names no recipient at all (its last group, when it has
    /// several), if it has any.
    var unnamed: Recipient?

    /// Parses the DSN fields leniently: field names are case-insensitive, folded lines are joined, unknown
    /// fields are ignored, a recipient group may also start without a blank line before it.
    ///
    /// RFC 3464 §2.3 does not fix the order of the per-recipient fields, and some MTAs put Action and Status
    /// before Final-Recipient: such fields, after a blank line and before the group's first recipient field,
    /// belong to the group that field starts.
    init(parsing text: String) {
        var current: Recipient?
        var pending: Recipient?
        var previousWasBlank = true
        for (name, value) in Self.fields(text) {
            if name.isEmpty {
                if let early = pending, current != nil { current!.fillMissing(from: early) }
                pending = nil
                previousWasBlank = true
                continue
            }
            switch name {
            // RFC 3464 §2.3.1: original-recipient-field = "Original-Recipient" ":" address-type ";" generic-address
            // RFC 3464 §2.3.2: final-recipient-field = "Final-Recipient" ":" address-type ";" generic-address
            case "final-recipient", "original-recipient":
                let isFinal = name == "final-recipient"
                if let group = current {
                    let named = !(group.finalRecipient.isEmpty && group.originalRecipient.isEmpty)
                    let alreadySet = isFinal ? !group.finalRecipient.isEmpty : !group.originalRecipient.isEmpty
                    if alreadySet || (named && previousWasBlank) || pending != nil {
                        recipients.append(group)
                        current = pending ?? Recipient()
                    }
                } else {
                    current = pending ?? Recipient()
                }
                pending = nil
                if isFinal {
                    current?.finalRecipient = Self.address(value)
                } else {
                    current?.originalRecipient = Self.address(value)
                }
            case "action", "status", "diagnostic-code", "remote-mta":
                if current == nil || previousWasBlank || pending != nil {
                    pending = pending ?? Recipient()
                    pending!.set(name, value)
                } else {
                    current!.set(name, value)
                }
            case "reporting-mta": reportingMTA = Self.afterType(value)  // RFC 3464 §2.2.2
            default: break
            }
            previousWasBlank = false
        }
        if let early = pending, current != nil { current!.fillMissing(from: early) }
        if let done = current, !(done.finalRecipient.isEmpty && done.originalRecipient.isEmpty) {
            recipients.append(done)
        }
        if recipients.isEmpty, var group = pending ?? current {
            if let done = current, pending != nil { group.fillMissing(from: done) }
            if !(group.action.isEmpty && group.status.isEmpty && group.diagnostic.isEmpty) { unnamed = group }
        }
    }

    /// `type ; value` → value (trimmed); a value without a type is returned whole.
    static func afterType(_ value: String) -> String {
        guard let semicolon = value.utf8.firstIndex(of: 0x3B) else { return value.trimmed }
        let type = value[..<semicolon]
        guard !type.utf8.contains(0x20) || type.trimmed.utf8.count < 12 else { return value.trimmed }
        return TextScanner.oneLine(value[value.utf8.index(after: semicolon)...])
    }

    /// An address field value without its type, angle brackets or a trailing comment.
    static func address(_ value: String) -> String {
        var address = afterType(value)
        if let open = address.utf8.firstIndex(of: 0x3C), let close = address.utf8[open...].firstIndex(of: 0x3E) {
            address = String(address[address.utf8.index(after: open)..<close])
        }
        if let space = address.utf8.firstIndex(of: 0x20) { address = String(address[..<space]) }
        // RFC 5321 §4.1.2 source route "@relay:user@domain": the mailbox is after the colon.
        if address.utf8.first == 0x40, let colon = address.utf8.firstIndex(of: 0x3A) {
            address = String(address[address.utf8.index(after: colon)...])
        }
        return address.trimmingCharacters("<>\"'").lowercased()
    }

    /// (lower-cased name, unfolded value) per field; an empty name marks a blank line.
    static func fields(_ text: String) -> [(String, String)] {
        var text = text
        return text.withUTF8(fields(bytes:))
    }

    private static func fields(bytes: UnsafeBufferPointer<UInt8>) -> [(String, String)] {
        var result: [(String, String)] = []
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            guard let first = line.firstIndex(where: { !isSpace($0) }) else {
                if result.last?.0 != "" { result.append(("", "")) }
                continue
            }
            // RFC 5322 §2.2.3: a line starting with white space continues the previous field.
            if first > 0, let last = result.last, !last.0.isEmpty {
                result[result.count - 1].1 = last.1 + " " + TextScanner.oneLine(line[first...])
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            var nameEnd = colon
            while nameEnd > first && isSpace(line[nameEnd - 1]) { nameEnd -= 1 }
            let name = line[first..<nameEnd]
            guard !name.isEmpty, !name.contains(0x20) else { continue }
            let lowered = String(decoding: name.map(PhraseSearch.lowered), as: UTF8.self)
            result.append((lowered, TextScanner.oneLine(line[(colon + 1)...])))
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}

extension StringProtocol {
    var trimmed: String {
        TextScanner.oneLine(self)
    }

    /// Without the characters of `set` (ASCII) and spaces at either end.
    func trimmingCharacters(_ set: String) -> String {
        let trimmed = Array(set.utf8) + [0x20]
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end && trimmed.contains(bytes[start]) { start += 1 }
        while end > start && trimmed.contains(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
