/// One good CSV row, ready for the upsert: tags and custom fields already JSON text.
struct ImportRow {
    var email: String
    var firstName: String
    var lastName: String
    var status: String
    /// JSON array of strings.
    var tags: String
    /// JSON object of custom fields, keys sorted.
    var fields: String
}
