import Mustache

/// One part of a template, compiled twice: by swift-mustache (the reference, and the renderer for
/// everything) and, when ``FastTemplateParser`` supports the template, into a ``FastTemplateNode`` tree that
/// renders the same output roughly ten times faster. The fast tree is used only after it has rendered two
/// probe recipients exactly as swift-mustache does.
struct CompiledTemplatePart: Sendable {
    let part: TemplatePart
    private let library: MustacheTemplate
    private let fast: [FastTemplateNode]?
    private let sizeHint: Int

    /// Whether the fast tree is in use (for tests).
    var isFast: Bool { fast != nil }

    init(_ source: String, part: TemplatePart) throws {
        self.part = part
        let library = try Self.compile(source, part: part)
        let sizeHint = source.utf8.count + source.utf8.count / 4
        self.library = library
        self.sizeHint = sizeHint
        fast = FastTemplateParser.parse(source).flatMap { nodes in
            for probe in Self.probes(for: source) {
                let expected = library.render(MustacheScope(context: probe))
                let rendered = FastTemplateRenderer.render(
                    nodes, context: probe, escapes: part.escapesHTML, capacity: sizeHint)
                if let rendered, rendered != expected { return nil }
            }
            return nodes
        }
    }

    func render(_ context: RenderContext) -> String {
        if let fast,
            let output = FastTemplateRenderer.render(
                fast, context: context, escapes: part.escapesHTML, capacity: sizeHint)
        {
            return output
        }
        return library.render(MustacheScope(context: context))
    }

    /// ``render(_:)`` as UTF-8 bytes.
    func renderBytes(_ context: RenderContext) -> [UInt8] {
        if let fast,
            let output = FastTemplateRenderer.renderBytes(
                fast, context: context, escapes: part.escapesHTML, capacity: sizeHint)
        {
            return output
        }
        return Array(library.render(MustacheScope(context: context)).utf8)
    }

    /// Put before every part: the content-type pragma on a line of its own, which the parser drops whole
    /// (a standalone tag), so the user's first line starts a line just as it would have. Plain-text parts
    /// escape nothing; the HTML part escapes with ``HTMLEscaping``.
    static func preamble(for part: TemplatePart) -> String {
        if part.escapesHTML {
            HTMLEscaping.registered
            return "{{% CONTENT_TYPE: \(HTMLEscaping.contentTypeName)}}\n"
        }
        return "{{% CONTENT_TYPE: TEXT}}\n"
    }

    static func compile(_ source: String, part: TemplatePart) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: preamble(for: part) + source)
        } catch {
            throw TemplateCompileError(part: part, error: error, lineOffset: 1)
        }
    }

    /// A recipient with every value the template names set (to text that needs escaping) and one with none.
    private static func probes(for source: String) -> [RenderContext] {
        var fields: [String: String] = [:]
        var data: [String: String] = [:]
        for name in TemplateRenderer.variables(in: source) {
            let parts = name.split(separator: ".", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0] == "fields" { fields[String(parts[1])] = "<f \(parts[1]) & \"'>" }
            if parts[0] == "campaign" { data[String(parts[1])] = "<d \(parts[1])>" }
        }
        let full = RenderContext(
            email: "a&b@example.org", firstName: "<Ann>", lastName: "O'Neil \"x\"", tags: ["t1", "<t2>"],
            fields: fields, campaignName: "C & C", campaignID: 7, campaignData: data,
            unsubscribeURL: "http://u/?a=1&b=2",
            preferencesURL: "http://p/", postalAddress: "1 <Main> St")
        return [full, RenderContext(email: "")]
    }
}
