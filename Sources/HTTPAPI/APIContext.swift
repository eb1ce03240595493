import Hummingbird

/// The request context: Hummingbird's core, and the API key that authenticated the request.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var apiKey: APIKeyStore.Key?
    /// The peer's IP address, for tracking events.
    public var remoteIP: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        apiKey = nil
        remoteIP = source.channel.remoteAddress?.ipAddress ?? ""
    }

    public var maxUploadSize: Int { JSONBody.maxSize }
}

/// `Authorization: Bearer pk_…` on every `/api/v1` route but the OpenAPI document; the key's scopes must
/// include the route's resource (the path component after `/api/v1/`).
struct AuthMiddleware: RouterMiddleware {
    let keys: APIKeyStore

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response)
        async throws -> Response
    {
        let path = request.uri.path
        if path == "/api/v1/openapi.json" { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized", "send the API key: Authorization: Bearer <key>")
        }
        let secret = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
        guard let key = try keys.authenticate(secret.trimmingCharacters(in: .whitespaces)) else {
            throw APIError(.unauthorized, code: "unauthorized", "unknown API key")
        }
        let resource = path.dropFirst("/api/v1/".count).split(separator: "/").first.map(String.init) ?? ""
        guard key.allows(resource) else {
            throw APIError(.forbidden, code: "forbidden", "the key \"\(key.name)\" has no scope \"\(resource)\"")
        }
        var context = context
        context.apiKey = key
        return try await next(request, context)
    }
}
