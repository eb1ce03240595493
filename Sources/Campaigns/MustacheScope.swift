import Mustache

/// A ``RenderContext`` as swift-mustache sees it: names are looked up with a `switch` instead of building a
/// dictionary (or reflecting with `Mirror`) for every recipient. Empty strings are absent (nil), which makes
/// them falsey in sections.
struct MustacheScope: MustacheParent {
    let context: RenderContext

    func child(named name: String) -> Any? {
        switch name {
        case "email": Self.present(context.email)
        case "first_name": Self.present(context.firstName)
        case "last_name": Self.present(context.lastName)
        case "tags": MustacheTagList(tags: context.tags)
        case "fields": MustacheStringMap(values: context.fields)
        case "campaign": MustacheCampaignScope(context: context)
        case "unsubscribe_url": Self.present(context.unsubscribeURL)
        case "preferences_url": Self.present(context.preferencesURL)
        case "postal_address": Self.present(context.postalAddress)
        default: nil
        }
    }

    static func present(_ value: String) -> String? { value.isEmpty ? nil : value }
}

/// `campaign`: `name`, `id` and the campaign's data variables.
struct MustacheCampaignScope: MustacheParent {
    let context: RenderContext

    func child(named name: String) -> Any? {
        switch name {
        case "name": MustacheScope.present(context.campaignName)
        case "id": context.campaignID
        default: context.campaignData[name].flatMap(MustacheScope.present)
        }
    }
}

/// `fields`: custom fields, empty values absent.
struct MustacheStringMap: MustacheParent {
    let values: [String: String]

    func child(named name: String) -> Any? { values[name].flatMap(MustacheScope.present) }
}

/// `tags`: a list in sections, `a, b, c` as a variable, and the library's array transforms (`sorted`, `count` …).
/// Its mirror is empty so that, pushed by an inverted section, it hides no names (swift-mustache looks names
/// up in non-``MustacheParent`` values with `Mirror`).
struct MustacheTagList: MustacheSequence, MustacheCustomRenderable, MustacheTransformable, CustomReflectable {
    let tags: [String]

    func makeIterator() -> IndexingIterator<[String]> { tags.makeIterator() }

    var renderText: String { tags.joined(separator: ", ") }

    var isNull: Bool { false }

    func transform(_ name: String) -> Any? { tags.transform(name) }

    var customMirror: Mirror { Mirror(self, children: [:]) }
}
