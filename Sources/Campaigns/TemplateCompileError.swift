import Mustache

/// A template part that does not compile: which part, where, and swift-mustache's reason.
public struct TemplateCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var part: TemplatePart
    /// The reason in words, with the library's error name in parentheses.
    public var message: String
    /// 1-based line and column in the part's source.
    public var line: Int
    public var column: Int

    public init(part: TemplatePart, message: String, line: Int, column: Int) {
        self.part = part
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "\(part.rawValue): \(message) at line \(line), column \(column)" }

    /// The problem as the API lists it.
    public var problem: TemplateProblem {
        TemplateProblem(part: part.rawValue, variable: "", problem: "\(message) at line \(line), column \(column)")
    }

    /// Maps the library's error; `lineOffset` lines of preamble were put before the user's source.
    init(part: TemplatePart, error: any Error, lineOffset: Int) {
        guard let parserError = error as? MustacheTemplate.ParserError else {
            self.init(part: part, message: String(describing: error), line: 1, column: 1)
            return
        }
        self.init(
            part: part, message: Self.explain(parserError.error),
            line: max(1, parserError.context.lineNumber - lineOffset), column: parserError.context.columnNumber)
    }

    private static func explain(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return String(describing: error) }
        let reason: String
        switch error {
        case .sectionCloseNameIncorrect: reason = "section closed with a different name than it was opened with"
        case .unfinishedName: reason = "unfinished tag"
        case .expectedSectionEnd: reason = "section not closed"
        case .invalidSetDelimiter: reason = "malformed set-delimiter tag"
        case .transformAppliedToInheritanceSection: reason = "transform applied to an inheritance block"
        case .illegalTokenInsideInheritSection: reason = "tag not allowed inside a partial's inheritance section"
        case .textInsideInheritSection: reason = "text inside a partial's inheritance section"
        case .invalidConfigVariableSyntax: reason = "malformed pragma"
        case .unrecognisedConfigVariable: reason = "unknown pragma"
        }
        return "\(reason) (\(error))"
    }
}
