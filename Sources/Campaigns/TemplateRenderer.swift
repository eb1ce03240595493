import Mustache

/// An ``EmailTemplate`` compiled once (swift-mustache, https://mustache.github.io/mustache.5.html) and
/// rendered per recipient from a ``RenderContext``.
///
/// In the HTML part `{{var}}` is HTML-escaped and `{{{var}}}` / `{{&var}}` is not. The subject and the
/// text part are plain text: nothing is escaped there (they compile under swift-mustache's
/// `{{% CONTENT_TYPE: TEXT}}` pragma). CR and LF in the rendered subject become spaces, so no value can
/// start a new header (RFC 5322 §2.2: a header field ends at CRLF).
///
/// Most templates render through ``FastTemplateRenderer``, which gives swift-mustache's output without its
/// per-variable dynamic casts (see ``CompiledTemplatePart``).
public struct TemplateRenderer: Sendable {
    public let template: EmailTemplate
    let subject: CompiledTemplatePart
    let html: CompiledTemplatePart
    let text: CompiledTemplatePart?

    /// Compiles the three parts; throws ``TemplateCompileError`` for the first part that does not compile.
    public init(_ template: EmailTemplate) throws {
        self.template = template
        subject = try CompiledTemplatePart(template.subject, part: .subject)
        html = try CompiledTemplatePart(template.html, part: .html)
        text = template.text.isEmpty ? nil : try CompiledTemplatePart(template.text, part: .text)
    }

    /// The message for one recipient.
    public func render(_ context: RenderContext) -> RenderedEmail {
        RenderedEmail(
            subject: Self.headerSafe(subject.render(context)), html: html.render(context),
            text: text?.render(context) ?? "")
    }

    /// ``render(_:)`` with the HTML and text parts as UTF-8 bytes, for the campaign composer, which works on
    /// bytes from here on.
    func renderBytes(_ context: RenderContext) -> (subject: String, html: [UInt8], text: [UInt8]) {
        (Self.headerSafe(subject.render(context)), html.renderBytes(context), text?.renderBytes(context) ?? [])
    }

    /// One part for one recipient (the subject made header-safe).
    public func render(_ part: TemplatePart, _ context: RenderContext) -> String {
        switch part {
        case .subject: Self.headerSafe(subject.render(context))
        case .html: html.render(context)
        case .text: text?.render(context) ?? ""
        }
    }

    /// The compile error of every part that does not compile (none: the template is good).
    public static func compileErrors(_ template: EmailTemplate) -> [TemplateCompileError] {
        TemplatePart.allCases.compactMap { part in
            do {
                _ = try CompiledTemplatePart.compile(template[part], part: part)
                return nil
            } catch let error as TemplateCompileError {
                return error
            } catch {
                return TemplateCompileError(part: part, error: error, lineOffset: 0)
            }
        }
    }

    /// `subject` with every run of CR and LF replaced by one space.
    public static func headerSafe(_ subject: String) -> String {
        guard subject.utf8.contains(where: { $0 == 13 || $0 == 10 }) else { return subject }
        var output: [UInt8] = []
        output.reserveCapacity(subject.utf8.count)
        var inBreak = false
        for byte in subject.utf8 {
            if byte == 13 || byte == 10 {
                if !inBreak { output.append(UInt8(ascii: " ")) }
                inBreak = true
            } else {
                output.append(byte)
                inBreak = false
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
