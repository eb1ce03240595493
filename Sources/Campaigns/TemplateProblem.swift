/// Something wrong with a template, as the API reports it.
///
/// `problem` is `"unknown"` (a variable no recipient can have), `"missing"` (a variable that renders
/// empty for the sample recipient) or a compile message (then `variable` is empty).
public struct TemplateProblem: Sendable, Hashable, Codable {
    /// `subject`, `html` or `text` (``TemplatePart``).
    public var part: String
    public var variable: String
    public var problem: String

    public init(part: String, variable: String, problem: String) {
        self.part = part
        self.variable = variable
        self.problem = problem
    }

    public static let unknown = "unknown"
    public static let missing = "missing"
}
