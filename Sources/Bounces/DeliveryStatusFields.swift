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
    }

    var reportingMTA = ""
    var recipients: [Recipient] = []

    /// Parses the DSN fields leniently: field names are case-insensitive, folded lines are joined, unknown
    /// fields are ignored, a recipient group may also start without a blank line before it.
    init(parsing text: String) {
        var current: Recipient?
        var previousWasBlank = true
        for (name, value) in Self.fields(text) {
            if name.isEmpty {
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
                    if alreadySet || (named && previousWasBlank) {
                        recipients.append(group)
                        current = Recipient()
                    }
                } else {
                    current = Recipient()
                }
                if isFinal {
                    current?.finalRecipient = Self.address(value)
                } else {
                    current?.originalRecipient = Self.address(value)
                }
            case "action": current?.action = value.lowercased()  // RFC 3464 §2.3.3
            case "status": current?.status = value  // RFC 3464 §2.3.4
            case "diagnostic-code": current?.diagnostic = Self.afterType(value)  // RFC 3464 §2.3.6
            case "remote-mta": current?.remoteMTA = Self.afterType(value)  // RFC 3464 §2.3.5
            case "reporting-mta": reportingMTA = Self.afterType(value)  // RFC 3464 §2.2.2
            default: break
            }
            previousWasBlank = false
        }
        if let done = current, !(done.finalRecipient.isEmpty && done.originalRecipient.isEmpty) {
            recipients.append(done)
        }
    }

    /// `type ; value` → value (trimmed); a value without a type is returned whole.
    static func afterType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value.trimmed }
        let type = value[..<semicolon]
        guard !type.contains(" ") || type.trimmed.count < 12 else { return value.trimmed }
        return TextScanner.oneLine(value[value.index(after: semicolon)...])
    }

    /// An address field value without its type, angle brackets or a trailing comment.
    static func address(_ value: String) -> String {
        var address = afterType(value)
        if let open = address.firstIndex(of: "<"), let close = address[open...].firstIndex(of: ">") {
            address = String(address[address.index(after: open)..<close])
        }
        if let space = address.firstIndex(of: " ") { address = String(address[..<space]) }
        // RFC 5321 §4.1.2 source route "@relay:user@domain": the mailbox is after the colon.
        if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") {
            address = String(address[address.index(after: colon)...])
        }
        return address.trimmingCharacters("<>\"'").lowercased()
    }

    /// (lower-cased name, unfolded value) per field; an empty name marks a blank line.
    static func fields(_ text: String) -> [(String, String)] {
        var result: [(String, String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmed
            if trimmed.isEmpty {
                if result.last?.0 != "" { result.append(("", "")) }
                continue
            }
            if let first = line.first, first == " " || first == "\t", let last = result.last, !last.0.isEmpty {
                result[result.count - 1].1 = last.1 + " " + trimmed
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmed
            guard !name.isEmpty, !name.contains(" ") else { continue }
            result.append((name.lowercased(), line[line.index(after: colon)...].trimmed))
        }
        return result
    }
}

extension StringProtocol {
    var trimmed: String {
        TextScanner.oneLine(self)
    }

    func trimmingCharacters(_ set: String) -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, set.unicodeScalars.contains(first) || first == " " { scalars.removeFirst() }
        while let last = scalars.last, set.unicodeScalars.contains(last) || last == " " { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
