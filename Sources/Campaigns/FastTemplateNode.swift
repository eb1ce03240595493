/// A template compiled for ``FastTemplateRenderer``: the same token tree swift-mustache builds (text runs
/// with its standalone-line rules applied, variables, sections), with names pre-split for lookup.
enum FastTemplateNode: Sendable {
    case text(String)
    case variable(FastTemplateName, escaped: Bool)
    case section(FastTemplateName, inverted: Bool, children: [FastTemplateNode])
}

/// A variable name: `.` (the current item) or a dotted path, looked up from the innermost section
/// outwards, or in the current item only when written with a leading dot (`.name`).
struct FastTemplateName: Sendable, Hashable {
    /// The path components; empty for `.`.
    let components: [FastTemplateKey]
    /// `.name`: no climbing to enclosing sections.
    let relative: Bool

    var isDot: Bool { components.isEmpty }

    /// Nil for names swift-mustache resolves in ways the fast path does not copy (`..`, `a.`, `{{}}`).
    init?(_ name: String) {
        if name == "." {
            components = []
            relative = false
            return
        }
        let relative = name.hasPrefix(".")
        let body = relative ? name.dropFirst() : Substring(name)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        components = parts.map { FastTemplateKey(String($0)) }
        self.relative = relative
    }
}

/// One path component, with the top-level name it is (if any) worked out once at compile time.
struct FastTemplateKey: Sendable, Hashable {
    enum Top: Sendable, Hashable {
        case email, firstName, lastName, tags, fields, campaign, unsubscribeURL, preferencesURL, postalAddress
    }

    let name: String
    let top: Top?

    init(_ name: String) {
        self.name = name
        switch name {
        case "email": top = .email
        case "first_name": top = .firstName
        case "last_name": top = .lastName
        case "tags": top = .tags
        case "fields": top = .fields
        case "campaign": top = .campaign
        case "unsubscribe_url": top = .unsubscribeURL
        case "preferences_url": top = .preferencesURL
        case "postal_address": top = .postalAddress
        default: top = nil
        }
    }
}
