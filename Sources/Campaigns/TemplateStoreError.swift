/// Why ``TemplateStore`` refused, with the HTTP status the API answers with.
public enum TemplateStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another template has this name (`template.name` is UNIQUE).
    case nameTaken(String)
    case notFound(id: Int64)
    case versionNotFound(id: Int64, version: Int)
    /// A campaign uses the template (`campaign.template_id … ON DELETE RESTRICT`).
    case inUse(id: Int64)
    /// An empty name, or a page or page size below 1.
    case invalid(String)

    public var httpStatus: Int {
        switch self {
        case .nameTaken, .inUse: 409
        case .notFound, .versionNotFound: 404
        case .invalid: 400
        }
    }

    public var description: String {
        switch self {
        case .nameTaken(let name): "a template named \"\(name)\" exists"
        case .notFound(let id): "no template \(id)"
        case .versionNotFound(let id, let version): "template \(id) has no version \(version)"
        case .inUse(let id): "template \(id) is used by a campaign"
        case .invalid(let reason): reason
        }
    }
}
