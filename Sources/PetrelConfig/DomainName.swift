/// Syntax of host and domain names in the configuration.
enum DomainName {
    /// Domain = sub-domain *("." sub-domain) (RFC 5321 §4.1.2), labels of letters, digits and hyphens, not
    /// starting or ending with a hyphen, at most 63 octets each (RFC 1035 §2.3.4) and 253 in all; the last label
    /// is not all digits (RFC 3696 §2), so that `300.1.2.3` is not taken for a name.
    static func isValid(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !name.isEmpty, name.utf8.count <= 253, !labels.last!.allSatisfy({ ("0"..."9").contains($0) }) else {
            return false
        }
        return labels.allSatisfy { label in
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-" else { return false }
            return label.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "-": true
                default: false
                }
            }
        }
    }
}
