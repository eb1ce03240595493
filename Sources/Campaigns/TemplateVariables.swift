/// The variable names a template may use: what ``TemplateRenderer/check(known:sample:)`` holds it against.
public struct TemplateVariables: Sendable, Hashable {
    /// Names that are known exactly: `email`, `campaign.name` …
    public var names: Set<String>
    /// Objects whose every member is known: `fields` makes `fields.city` and `fields.anything` known.
    public var openObjects: Set<String>
    /// Names that are lists: inside their sections `{{.}}` is the item.
    public var lists: Set<String>

    public init(names: Set<String>, openObjects: Set<String> = [], lists: Set<String> = []) {
        self.names = names
        self.openObjects = openObjects
        self.lists = lists
    }

    /// What ``RenderContext`` provides, with the data keys of the campaign (`campaign.<key>`).
    public static func standard(campaignData: some Sequence<String> = []) -> TemplateVariables {
        var names: Set<String> = [
            "email", "first_name", "last_name", "tags", "campaign.name", "campaign.id", "unsubscribe_url",
            "preferences_url", "postal_address",
        ]
        for key in campaignData { names.insert("campaign." + key) }
        return TemplateVariables(names: names, openObjects: ["fields"], lists: ["tags"])
    }

    /// Whether `name` (dotted, from the top) is a known value.
    public func contains(_ name: String) -> Bool {
        if names.contains(name) { return true }
        guard let dot = name.firstIndex(of: "."), name.index(after: dot) < name.endIndex else { return false }
        return openObjects.contains(String(name[..<dot]))
    }

    /// Whether `name` is an object with known members (`fields`, `campaign`): valid as a section.
    public func isObject(_ name: String) -> Bool {
        if openObjects.contains(name) { return true }
        let prefix = name + "."
        return names.contains { $0.hasPrefix(prefix) }
    }
}
