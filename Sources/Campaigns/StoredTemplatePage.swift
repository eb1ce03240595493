/// One page of ``TemplateStore/list(page:perPage:)``: the templates (newest versions) and how many there are.
public struct StoredTemplatePage: Sendable, Hashable, Codable {
    public var items: [StoredTemplate]
    public var total: Int
    /// 1-based.
    public var page: Int
    public var perPage: Int

    public init(items: [StoredTemplate], total: Int, page: Int, perPage: Int) {
        self.items = items
        self.total = total
        self.page = page
        self.perPage = perPage
    }
}
