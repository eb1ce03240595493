import Campaigns
import Foundation
import Hummingbird

/// An error answer: its status and a JSON body `{"error": {"code": …, "message": …, "field": …}}` that names
/// the offending field when there is one.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid", message, field: field)
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, code: "not_found", "no \(what)") }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: String] = ["code": code, "message": message]
        if let field { error["field"] = field }
        return JSONBody.response(["error": error], status: status)
    }

    /// The answer for an error thrown by the campaign layer.
    static func from(_ error: CampaignStoreError) -> APIError {
        switch error {
        case .invalid(let field, let reason):
            APIError(.badRequest, code: "invalid", "\(field): \(reason)", field: field)
        case .notFound(let resource, let id): APIError(.notFound, code: "not_found", "no \(resource) \(id)")
        case .duplicate(let field, let value):
            APIError(.conflict, code: "duplicate", "\(field) \(value) already exists", field: field)
        case .conflict(let message): APIError(.conflict, code: "conflict", message)
        }
    }
}

/// Maps campaign-layer errors to their HTTP answers (the rest stays a 500 that leaks nothing).
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as CampaignStoreError {
            throw APIError.from(error)
        } catch let error as Segment.Invalid {
            throw APIError.invalid(error.path.isEmpty ? "definition" : "definition.\(error.path)", error.description)
        } catch let error as TemplateStoreError {
            let status = HTTPResponse.Status(code: error.httpStatus)
            let code = status == .notFound ? "not_found" : status == .conflict ? "conflict" : "invalid"
            throw APIError(status, code: code, error.description, field: code == "invalid" ? "name" : nil)
        } catch let error as TemplateCompileError {
            throw APIError.invalid(error.part.rawValue, error.description)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPResponseError {
            throw error
        } catch {
            context.logger.error("request failed: \(error)")
            throw APIError(.internalServerError, code: "internal", "internal error")
        }
    }
}
