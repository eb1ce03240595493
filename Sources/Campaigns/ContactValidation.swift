import Foundation
import Suppression

/// The checks on values that come through the API, each failure naming the field as the API spells it.
enum ContactValidation {
    /// The normalised address, or `invalid(field: "email")`.
    static func email(
        _ raw: String, _ normalization: AddressNormalization, field: String = "email"
    ) throws(CampaignStoreError) -> String {
        let trimmed = ContactImporter.trimmed(raw)
        if let problem = EmailSyntax.problem(trimmed) { throw .invalid(field: field, reason: problem) }
        return normalization.normalize(trimmed)
    }

    /// Tags trimmed, repeats dropped, in the order given.
    static func tags(_ tags: [String]) throws(CampaignStoreError) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for (offset, tag) in tags.enumerated() {
            let trimmed = ContactImporter.trimmed(tag)
            if trimmed.isEmpty { throw .invalid(field: "tags[\(offset)]", reason: "empty") }
            if trimmed.contains(",") { throw .invalid(field: "tags[\(offset)]", reason: "contains a comma") }
            if trimmed.utf8.count > 200 { throw .invalid(field: "tags[\(offset)]", reason: "longer than 200 octets") }
            if seen.insert(trimmed).inserted { out.append(trimmed) }
        }
        return out
    }

    /// A custom field name: non-empty, at most 200 octets, no control characters.
    static func fieldName(_ name: String) throws(CampaignStoreError) {
        if name.isEmpty { throw .invalid(field: "fields", reason: "a field name is empty") }
        if name.utf8.count > 200 { throw .invalid(field: "fields.\(name)", reason: "name longer than 200 octets") }
        if name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw .invalid(field: "fields.\(name)", reason: "name contains control characters")
        }
    }

    /// List names trimmed, repeats dropped.
    static func listNames(_ names: [String], field: String = "lists") throws(CampaignStoreError) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for (offset, name) in names.enumerated() {
            let trimmed = try listName(name, field: "\(field)[\(offset)]")
            if seen.insert(trimmed).inserted { out.append(trimmed) }
        }
        return out
    }

    /// A list or segment name: trimmed, non-empty, at most 200 octets, no control characters.
    static func listName(_ name: String, field: String = "name") throws(CampaignStoreError) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw .invalid(field: field, reason: "empty") }
        if trimmed.utf8.count > 200 { throw .invalid(field: field, reason: "longer than 200 octets") }
        if trimmed.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw .invalid(field: field, reason: "contains control characters")
        }
        return trimmed
    }
}
