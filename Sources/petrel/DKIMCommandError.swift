/// A `petrel dkim` failure with a message for the operator (printed as "Error: ..." with exit status 1).
struct DKIMCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
