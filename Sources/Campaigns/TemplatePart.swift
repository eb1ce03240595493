/// One part of an ``EmailTemplate``; the raw value is the name used in ``TemplateProblem/part``.
public enum TemplatePart: String, Sendable, Hashable, Codable, CaseIterable {
    case subject, html, text

    /// Whether `{{var}}` is HTML-escaped in this part. The subject and the text part are plain text.
    public var escapesHTML: Bool { self == .html }
}
