import MailMessage

extension [HeaderField] {
    // RFC 5322 §1.2.2: field names are case-insensitive.
    /// The value of the first field called `name` (ASCII case-insensitive), compared without allocating.
    func value(of name: String) -> String? {
        let wanted = name.utf8
        return first {
            $0.name.utf8.count == wanted.count
                && $0.name.utf8.elementsEqual(wanted) { PhraseSearch.lowered($0) == PhraseSearch.lowered($1) }
        }?.value
    }
}
