/// Why a CSV row was not imported; `silent` when the header already said why (no email column).
struct ImportRowProblem: Error {
    var reason: String?
    static let silent = ImportRowProblem(reason: nil)

    init(_ reason: String) { self.reason = reason }
    init(reason: String?) { self.reason = reason }
}
