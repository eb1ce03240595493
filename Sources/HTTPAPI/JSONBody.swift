import Foundation
import Hummingbird
import NIOCore

/// JSON in and out with the API's conventions: snake_case keys (each type spells them in its `CodingKeys`; no
/// key strategy, which would also rewrite the keys of custom fields), RFC 3339 times, and decoding errors that
/// name the field.
enum JSONBody {
    static let maxSize = 16 << 20

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request body as bytes (at most `maxSize`).
    static func bytes(_ request: Request, limit: Int = maxSize) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "too_large", "the body is larger than \(limit) bytes")
        }
    }

    /// Decodes the request body; a JSON or type error names the field.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer = try await bytes(request)
        return try decode(type, from: Data(buffer.readableBytesView))
    }

    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error)
        }
    }

    static func describe(_ error: DecodingError) -> APIError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { key in key.intValue.map { "[\($0)]" } ?? "." + key.stringValue }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return APIError.invalid(field, "\(field): required")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return APIError.invalid(field, "\(field): expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return APIError.invalid(field, "\(field): expected \(typeName(type)), got null")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if context.codingPath.isEmpty {
                return APIError(.badRequest, code: "invalid_json", "the body is not valid JSON")
            }
            return APIError.invalid(field, "\(field): \(context.debugDescription)")
        @unknown default:
            return APIError(.badRequest, code: "invalid_json", "the body could not be read")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: "\(type)".contains("Array") ? "an array" : "\(type)".contains("Dictionary") ? "an object" : "\(type)"
        }
    }
}

/// A page of a list: `items`, `total`, `page`, `per_page`.
struct Page<Item: Encodable>: Encodable {
    var items: [Item]
    var total: Int
    var page: Int
    var perPage: Int

    enum CodingKeys: String, CodingKey {
        case items, total, page
        case perPage = "per_page"
    }
}

/// `?page=` (from 1) and `?per_page=` (1 to 1000, default 50).
struct Pagination {
    var page: Int
    var perPage: Int

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        page = 1
        perPage = 50
        if let text = query["page"] {
            guard let value = Int(text), value >= 1 else {
                throw APIError.invalid("page", "page: expected an integer ≥ 1")
            }
            page = value
        }
        if let text = query["per_page"] {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw APIError.invalid("per_page", "per_page: expected an integer from 1 to 1000")
            }
            perPage = value
        }
    }

    var offset: Int { (page - 1) * perPage }
}

extension Parameters {
    /// A numeric path parameter, or a 404.
    func id(_ name: String = "id") throws -> Int64 {
        guard let value = get(name, as: Int64.self) else { throw APIError.notFound("such resource") }
        return value
    }
}
