/// A template's variable tags, as ``TemplateTagScanner`` finds them: what the variable check walks.
/// swift-mustache keeps its parse tree internal, so Petrel scans the tags itself.
enum TemplateNode: Sendable, Hashable {
    /// `{{name}}` (escaped) or `{{{name}}}` / `{{&name}}`. `name` is the variable with any transforms
    /// stripped (`uppercased(first_name)` → `first_name`); `.` is the current item.
    case variable(name: String, escaped: Bool)
    /// `{{#name}}…{{/name}}`, or `{{^name}}…{{/name}}` when inverted.
    case section(name: String, inverted: Bool, children: [TemplateNode])
    /// A block or an inheriting partial (`{{$b}}`, `{{<p}}`): its contents render in place.
    case group(children: [TemplateNode])
}
