/// What a template can say about one recipient of one campaign.
///
/// Template names: `email`, `first_name`, `last_name`, `tags` (a list: `{{#tags}}{{.}}{{/tags}}`),
/// `fields.<name>` (custom fields), `campaign.name`, `campaign.id`, `campaign.<data key>`,
/// `unsubscribe_url`, `preferences_url` and `postal_address`. Empty strings count as absent, so
/// `{{#first_name}}…{{/first_name}}` and `{{^first_name}}…{{/first_name}}` test for a value.
public struct RenderContext: Sendable, Hashable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var tags: [String]
    /// Custom fields: name → value.
    public var fields: [String: String]
    public var campaignName: String
    public var campaignID: Int64
    /// Campaign variables: name → value (`{{campaign.<name>}}`); `name` and `id` win over data of that name.
    public var campaignData: [String: String]
    public var unsubscribeURL: String
    public var preferencesURL: String
    /// The sender's postal address (CAN-SPAM, 15 U.S.C. §7704(a)(5)(A)(iii)).
    public var postalAddress: String

    public init(
        email: String, firstName: String = "", lastName: String = "", tags: [String] = [],
        fields: [String: String] = [:], campaignName: String = "", campaignID: Int64 = 0,
        campaignData: [String: String] = [:], unsubscribeURL: String = "", preferencesURL: String = "",
        postalAddress: String = ""
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.tags = tags
        self.fields = fields
        self.campaignName = campaignName
        self.campaignID = campaignID
        self.campaignData = campaignData
        self.unsubscribeURL = unsubscribeURL
        self.preferencesURL = preferencesURL
        self.postalAddress = postalAddress
    }
}
