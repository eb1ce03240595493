/// A contact to create through the API (`ContactStore.create`).
public struct ContactInput: Sendable, Hashable {
    /// Checked with `EmailSyntax`, stored normalised.
    public var email: String
    public var firstName: String
    public var lastName: String
    /// nil: `subscribed`, or `pending` with `doubleOptIn`.
    public var status: ContactStatus?
    /// Blanks at either end trimmed; repeats dropped; a tag is non-empty and has no comma (the CSV form
    /// separates tags with commas).
    public var tags: [String]
    /// Custom fields; an empty value is left out, as an import does.
    public var fields: [String: String]
    /// Names of the lists the contact joins, created when missing.
    public var lists: [String]
    /// The contact starts `pending` and gets no campaign mail until `ContactStore.confirm(_:time:ip:)`.
    public var doubleOptIn: Bool
    /// Where the consent came from (`api`, `form`, `import` …) and the client's address, kept in `consent`.
    public var consentSource: String
    public var consentIP: String

    public init(
        email: String, firstName: String = "", lastName: String = "", status: ContactStatus? = nil,
        tags: [String] = [], fields: [String: String] = [:], lists: [String] = [], doubleOptIn: Bool = false,
        consentSource: String = "api", consentIP: String = ""
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.status = status
        self.tags = tags
        self.fields = fields
        self.lists = lists
        self.doubleOptIn = doubleOptIn
        self.consentSource = consentSource
        self.consentIP = consentIP
    }
}
