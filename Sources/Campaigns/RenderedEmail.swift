/// An ``EmailTemplate`` rendered for one recipient. `subject` holds no CR or LF; `text` is empty when the
/// template has no text part.
public struct RenderedEmail: Sendable, Hashable {
    public var subject: String
    public var html: String
    public var text: String

    public init(subject: String, html: String, text: String) {
        self.subject = subject
        self.html = html
        self.text = text
    }
}
