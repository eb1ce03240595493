/// Why a webhook operation was refused, in terms an API client can act on.
///
/// The cases carry what an HTTP layer needs to answer: `invalid` maps to 422 with the field named,
/// `notFound` to 404 with the id.
public enum WebhookError: Error, Sendable, Hashable {
    /// A field of the request is unusable; `reason` is short and safe to show to the client.
    case invalid(field: String, reason: String)
    /// No webhook (or delivery) has this id.
    case notFound(id: Int64)
}
