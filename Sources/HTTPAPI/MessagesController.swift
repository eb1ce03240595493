import Campaigns
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import MailMessage
import Storage

/// Where transactional messages go: the spool (the 202 follows the fsync) and the queue.
public protocol TransactionalMessageSink: Sendable {
    /// Stores one message durably and queues it; returns its queue id.
    func submit(sender: String, recipients: [String], body: [UInt8], tenant: String?) async throws -> String
    /// Renders template `id` (newest version, or `version`) for `to` with `data`: subject, HTML, text.
    func render(template id: Int64, version: Int?, to: String, data: [String: String]) throws -> (
        subject: String, html: String, text: String
    )
}

/// `POST /api/v1/messages`: one message to one or more recipients, from a template, from inline parts, or
/// raw; `202` with its id once it is on stable storage. An `Idempotency-Key` header makes retries safe: the
/// same key (per API key, kept 24 hours) returns the first answer and sends nothing again.
struct MessagesController {
    let sink: (any TransactionalMessageSink)?
    let database: PetrelDatabase

    struct Body: Decodable {
        var from: String
        var fromName: String?
        var to: [String]
        var replyTo: String?
        var subject: String?
        var html: String?
        var text: String?
        var raw: String?
        var templateId: Int64?
        var templateVersion: Int?
        var data: [String: String]?
        var headers: [String: String]?
        var tenant: String?

        enum CodingKeys: String, CodingKey {
            case from
            case fromName = "from_name"
            case to
            case replyTo = "reply_to"
            case subject
            case html
            case text
            case raw
            case templateId = "template_id"
            case templateVersion = "template_version"
            case data
            case headers
            case tenant
        }
    }

    struct Accepted: Codable {
        var id: String
        var messageId: String
        var recipients: Int

        enum CodingKeys: String, CodingKey {
            case id
            case messageId = "message_id"
            case recipients
        }
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.post("messages") { request, context in
            guard let sink else {
                throw APIError(.serviceUnavailable, code: "unavailable", "the spool is not available in this process")
            }
            let key = request.headers[HTTPField.Name("Idempotency-Key")!]
            if let key, key.isEmpty || key.utf8.count > 255 {
                throw APIError.invalid("Idempotency-Key", "Idempotency-Key: 1 to 255 characters")
            }
            let apiKeyID = context.apiKey?.id ?? 0
            if let key, let previous = try claim(key: key, apiKeyID: apiKeyID) { return previous }
            do {
                let body = try await JSONBody.decode(Body.self, from: request)
                let (bytes, messageID) = try compose(body, sink: sink)
                let id = try await sink.submit(
                    sender: body.from, recipients: body.to, body: bytes, tenant: body.tenant)
                let accepted = Accepted(id: id, messageId: messageID, recipients: body.to.count)
                if let key { try remember(key: key, apiKeyID: apiKeyID, accepted) }
                return JSONBody.response(accepted, status: .accepted)
            } catch {
                if let key { try? forget(key: key, apiKeyID: apiKeyID) }
                throw error
            }
        }
    }

    func compose(_ body: Body, sink: any TransactionalMessageSink) throws -> ([UInt8], String) {
        if let problem = EmailSyntax.problem(body.from) { throw APIError.invalid("from", "from: \(problem)") }
        guard !body.to.isEmpty, body.to.count <= 1000 else { throw APIError.invalid("to", "to: 1 to 1000 addresses") }
        for (offset, address) in body.to.enumerated() {
            if let problem = EmailSyntax.problem(address) {
                throw APIError.invalid("to[\(offset)]", "to[\(offset)]: \(problem)")
            }
        }
        if let raw = body.raw {
            guard body.templateId == nil, body.html == nil, body.text == nil, body.subject == nil else {
                throw APIError.invalid("raw", "raw: give a raw message or its parts, not both")
            }
            var text = raw.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
            if !text.hasSuffix("\r\n") { text += "\r\n" }
            guard text.contains("\r\n\r\n") || text.hasPrefix("\r\n") else {
                throw APIError.invalid("raw", "raw: no blank line between header and body")
            }
            let messageID = HeaderBlock.firstValue(of: "Message-ID", in: ByteBuffer(string: text)) ?? ""
            return (Array(text.utf8), messageID)
        }
        var subject = body.subject ?? ""
        var html = body.html ?? ""
        var text = body.text ?? ""
        if let templateId = body.templateId {
            guard body.html == nil, body.text == nil else {
                throw APIError.invalid("template_id", "template_id: give a template or html/text, not both")
            }
            let rendered = try sink.render(
                template: templateId, version: body.templateVersion, to: body.to[0], data: body.data ?? [:])
            subject = body.subject ?? rendered.subject
            html = rendered.html
            text = rendered.text
        }
        guard !html.isEmpty || !text.isEmpty else {
            throw APIError.invalid("html", "html: give html, text or template_id")
        }
        guard !subject.isEmpty else { throw APIError.invalid("subject", "subject: required") }
        let domain = body.from.split(separator: "@").last.map(String.init) ?? "localhost"
        let messageID = MessageIDGenerator.make(domain: domain)
        var headers: [(String, String)] = []
        for (name, value) in (body.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
            let valid = !name.isEmpty && name.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }
            guard valid else { throw APIError.invalid("headers.\(name)", "headers.\(name): not a field name") }
            let reserved = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"]
            guard !reserved.contains(name.lowercased()) else {
                throw APIError.invalid("headers.\(name)", "headers.\(name): set by Petrel")
            }
            headers.append((name, value))
        }
        let composer = MailComposer(
            from: body.from, fromName: body.fromName ?? "", to: body.to.count == 1 ? body.to[0] : body.from,
            subject: subject, replyTo: body.replyTo ?? "", messageID: messageID, headers: headers, text: text,
            html: html)
        return (composer.bytes(), messageID)
    }

    // MARK: - Idempotency

    /// Claims `key`; returns the stored answer when the key was used, a 409 while its first request runs.
    func claim(key: String, apiKeyID: Int64) throws -> Response? {
        try database.pool.write { db in
            let dayAgo = Date().timeIntervalSince1970 - 86_400
            try db.execute(sql: "DELETE FROM idempotency WHERE created < ?", arguments: [dayAgo])
            if let row = try Row.fetchOne(
                db, sql: "SELECT status, response FROM idempotency WHERE key = ? AND api_key_id = ?",
                arguments: [key, apiKeyID])
            {
                guard (row[0] as Int) != 0 else {
                    throw APIError(.conflict, code: "in_progress", "a request with this Idempotency-Key is running")
                }
                var headers = HTTPFields()
                headers[.contentType] = "application/json"
                headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
                return Response(
                    status: HTTPResponse.Status(code: row[0]), headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: row[1])))
            }
            try db.execute(
                sql: "INSERT INTO idempotency (key, api_key_id, status, response, created) VALUES (?, ?, 0, '', ?)",
                arguments: [key, apiKeyID, Date().timeIntervalSince1970])
            return nil
        }
    }

    func remember(key: String, apiKeyID: Int64, _ accepted: Accepted) throws {
        let text = String(decoding: try JSONBody.encoder.encode(accepted), as: UTF8.self)
        try database.pool.write { db in
            try db.execute(
                sql: "UPDATE idempotency SET status = 202, response = ? WHERE key = ? AND api_key_id = ?",
                arguments: [text, key, apiKeyID])
        }
    }

    func forget(key: String, apiKeyID: Int64) throws {
        try database.pool.write { db in
            try db.execute(
                sql: "DELETE FROM idempotency WHERE key = ? AND api_key_id = ? AND status = 0",
                arguments: [key, apiKeyID])
        }
    }
}
