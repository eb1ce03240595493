import Foundation

/// One version of a stored template (the newest unless asked for another), with the template's name and
/// dates: `created` when the template was created, `updated` when this version was written.
public struct StoredTemplate: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var version: Int
    public var subject: String
    public var html: String
    public var text: String
    public var created: Date
    public var updated: Date

    public init(
        id: Int64, name: String, version: Int, subject: String, html: String, text: String, created: Date,
        updated: Date
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.subject = subject
        self.html = html
        self.text = text
        self.created = created
        self.updated = updated
    }

    /// The parts, to compile with ``TemplateRenderer``.
    public var template: EmailTemplate { EmailTemplate(subject: subject, html: html, text: text) }
}
