/// A partial update (`ContactStore.update`): a nil member leaves that part of the contact as it is.
///
/// - `tags` replaces the tags (same rules as `ContactInput.tags`).
/// - `fields` merges into the custom fields: a key with a value sets it, a key with nil or `""` removes it,
///   a key not given is kept.
/// - `lists` replaces the contact's list memberships (lists created when missing; `[]` leaves every list).
/// - `email` changes the address (checked and normalised; another contact's address is a `duplicate`).
public struct ContactPatch: Sendable, Hashable {
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var status: ContactStatus?
    public var tags: [String]?
    public var fields: [String: String?]?
    public var lists: [String]?

    public init(
        email: String? = nil, firstName: String? = nil, lastName: String? = nil, status: ContactStatus? = nil,
        tags: [String]? = nil, fields: [String: String?]? = nil, lists: [String]? = nil
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.status = status
        self.tags = tags
        self.fields = fields
        self.lists = lists
    }
}
