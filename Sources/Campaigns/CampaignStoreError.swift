/// Why a campaign-layer operation was refused; the HTTP layer maps each to a status and a JSON error that
/// names the field.
public enum CampaignStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value is missing or wrong (400).
    case invalid(field: String, reason: String)
    /// No such resource (404).
    case notFound(resource: String, id: String)
    /// The value must be unique and is taken (409).
    case duplicate(field: String, value: String)
    /// The resource's state does not allow it (409).
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .notFound(let resource, let id): "no \(resource) \(id)"
        case .duplicate(let field, let value): "\(field): \(value) already exists"
        case .conflict(let message): message
        }
    }
}
