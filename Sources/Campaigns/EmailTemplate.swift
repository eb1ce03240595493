/// The three parts of a campaign message, each a Mustache template: the `Subject:` header, the
/// `text/html` part and the `text/plain` part. An empty `text` means the message goes out with the HTML
/// part alone; nothing is derived from the HTML.
public struct EmailTemplate: Sendable, Hashable, Codable {
    public var subject: String
    public var html: String
    public var text: String

    public init(subject: String, html: String, text: String = "") {
        self.subject = subject
        self.html = html
        self.text = text
    }

    /// The source of one part.
    public subscript(part: TemplatePart) -> String {
        switch part {
        case .subject: subject
        case .html: html
        case .text: text
        }
    }
}
