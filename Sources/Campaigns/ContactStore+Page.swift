import GRDB

/// Paging through contacts (the API's contact listing).
extension ContactStore {
    /// The most contacts one page may hold.
    public static let maximumPerPage = 1000

    /// Page `page` (1-based, `perPage` contacts, id order) of the contacts of `list` that match `segment`
    /// and whose address starts with `query` (normalised as addresses are: lower case unless the
    /// normalisation keeps the local part's case), with the total over all pages. Both are read in one
    /// transaction, so they agree.
    public func list(
        page: Int = 1, perPage: Int = 50, list: String? = nil, segment: Segment? = nil, query: String? = nil
    ) throws -> ContactPage {
        guard page >= 1 else { throw CampaignStoreError.invalid(field: "page", reason: "must be 1 or more") }
        guard (1...Self.maximumPerPage).contains(perPage) else {
            throw CampaignStoreError.invalid(field: "per_page", reason: "must be 1 to \(Self.maximumPerPage)")
        }
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        guard !overflow else { throw CampaignStoreError.invalid(field: "page", reason: "too large") }
        var arguments = StatementArguments()
        let filter = Self.filter(
            list: list, segment: segment, emailPrefix: query.map(emailPrefix), &arguments)
        return try database.pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM contact" + filter, arguments: arguments) ?? 0
            let items = try Row.fetchAll(
                db, sql: Self.select + filter + " ORDER BY contact.id LIMIT ? OFFSET ?",
                arguments: arguments + [perPage, offset]
            ).map(Self.contact)
            return ContactPage(items: items, total: total, page: page, perPage: perPage)
        }
    }

    /// A search text as stored addresses spell it: trimmed, the domain part lower case, the local part too
    /// when the normalisation folds case.
    func emailPrefix(_ query: String) -> String {
        let trimmed = ContactImporter.trimmed(query)
        guard let at = trimmed.firstIndex(of: "@") else {
            return normalization.foldCase ? trimmed.lowercased() : trimmed
        }
        let local = trimmed[..<at]
        return (normalization.foldCase ? local.lowercased() : String(local)) + trimmed[at...].lowercased()
    }
}
