/// One page of contacts and how many match in all.
public struct ContactPage: Sendable, Hashable {
    public var items: [Contact]
    /// Contacts matching the filters, on every page.
    public var total: Int
    /// 1-based.
    public var page: Int
    public var perPage: Int

    public init(items: [Contact], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }
}
