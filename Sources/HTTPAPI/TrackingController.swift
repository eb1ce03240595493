import Campaigns
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Storage

/// The public pages that links in sent mail lead to. Tokens are HMAC-signed and checked without the
/// database; a tampered one gets 404.
///
/// - `GET /t/o/TOKEN`: the open pixel (a 1×1 GIF).
/// - `GET|HEAD /t/c/TOKEN`: the click redirect (302 to the signed URL).
/// - `GET /u/TOKEN`: a page that asks to confirm; it never unsubscribes by itself, because link scanners
///   follow links. `POST /u/TOKEN`: unsubscribes — the one-click POST of RFC 8058 §3.1 (body
///   `List-Unsubscribe=One-Click`) and the page's own form alike.
/// - `GET|POST /p/TOKEN`: the preference centre: list memberships, and unsubscribe from all.
/// - `GET /confirm/TOKEN`: double opt-in confirmation.
struct TrackingController {
    let tokens: TrackingTokens
    let tracking: CampaignTracking
    let database: PetrelDatabase
    let contacts: ContactStore

    /// A transparent 1×1 GIF.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
        0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
        0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    func register(_ router: Router<APIContext>) {
        router.get("t/o/:token") { request, context in
            guard let token = tokens.decode(try Self.token(context), as: .open) else { throw Self.notFound }
            try tracking.record(
                .open, campaignID: token.campaignID, contactID: token.contactID,
                request: Self.describe(request, context))
            var headers = HTTPFields()
            headers[.contentType] = "image/gif"
            headers[.cacheControl] = "no-store, max-age=0"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.pixel)))
        }
        let click: @Sendable (Request, APIContext) async throws -> Response = { request, context in
            guard let token = tokens.decode(try Self.token(context), as: .click) else { throw Self.notFound }
            try tracking.record(
                .click, campaignID: token.campaignID, contactID: token.contactID, link: token.url,
                request: Self.describe(request, context))
            var headers = HTTPFields()
            headers[.location] = token.url
            headers[.cacheControl] = "no-store"
            return Response(status: .found, headers: headers)
        }
        router.get("t/c/:token", use: click)
        router.head("t/c/:token", use: click)
        router.get("u/:token") { _, context in
            let text = try Self.token(context)
            guard let token = tokens.decode(text, as: .unsubscribe) else { throw Self.notFound }
            let email = try contacts.contact(id: token.contactID)?.email ?? "this address"
            return Self.page(
                title: "Unsubscribe",
                body: """
                    <p>Stop mail to <b>\(HTMLEscaping.escape(email))</b>?</p>
                    <form method="post" action="/u/\(text)">
                    <input type="hidden" name="List-Unsubscribe" value="One-Click">
                    <button type="submit">Unsubscribe</button></form>
                    <p><a href="/p/\(HTMLEscaping.escape(tokens.make(.preferences(campaign: token.campaignID, contact: token.contactID))))">Manage preferences instead</a></p>
                    """)
        }
        router.post("u/:token") { _, context in
            guard let token = tokens.decode(try Self.token(context), as: .unsubscribe) else { throw Self.notFound }
            let email = try tracking.unsubscribe(
                campaignID: token.campaignID, contactID: token.contactID, source: "campaign \(token.campaignID)")
            return Self.page(
                title: "Unsubscribed",
                body: "<p>\(HTMLEscaping.escape(email ?? "The address")) will get no more mail from us.</p>")
        }
        router.get("p/:token") { _, context in
            let text = try Self.token(context)
            guard let token = tokens.decode(text, as: .preferences) else { throw Self.notFound }
            return try preferences(token, text, saved: false)
        }
        router.post("p/:token") { request, context in
            let text = try Self.token(context)
            guard let token = tokens.decode(text, as: .preferences) else { throw Self.notFound }
            let buffer = try await JSONBody.bytes(request, limit: 64 << 10)
            let form = Self.form(String(buffer: buffer))
            if form.contains(where: { $0.0 == "unsubscribe_all" }) {
                try tracking.unsubscribe(
                    campaignID: token.campaignID, contactID: token.contactID, source: "preference centre")
            } else {
                try setLists(contactID: token.contactID, names: Set(form.filter { $0.0 == "list" }.map(\.1)))
            }
            return try preferences(token, text, saved: true)
        }
        router.get("confirm/:token") { _, context in
            guard let token = tokens.decode(try Self.token(context), as: .confirm) else { throw Self.notFound }
            guard try contacts.contact(id: token.contactID) != nil else { throw Self.notFound }
            _ = try contacts.confirm(token.contactID)
            return Self.page(title: "Subscribed", body: "<p>Thank you: your subscription is confirmed.</p>")
        }
    }

    static let notFound = APIError(.notFound, code: "not_found", "no such link")

    static func token(_ context: APIContext) throws -> String {
        guard let token = context.parameters.get("token") else { throw notFound }
        return token
    }

    static func describe(_ request: Request, _ context: APIContext) -> CampaignTracking.Request {
        let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]?.split(separator: ",").first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return CampaignTracking.Request(
            method: request.method.rawValue, userAgent: request.headers[.userAgent] ?? "",
            ip: forwarded ?? context.remoteIP)
    }

    func preferences(_ token: TrackingToken, _ text: String, saved: Bool) throws -> Response {
        let (email, status, lists) = try database.pool.read { db -> (String?, String, [(String, Bool)]) in
            let row = try Row.fetchOne(
                db, sql: "SELECT email, status FROM contact WHERE id = ?", arguments: [token.contactID])
            let lists = try Row.fetchAll(
                db,
                sql: """
                    SELECT name, EXISTS (SELECT 1 FROM list_member WHERE list_id = list.id AND contact_id = ?)
                    FROM list ORDER BY name
                    """, arguments: [token.contactID]
            ).map { ($0[0] as String, $0[1] as Bool) }
            return (row?[0], row?[1] ?? "", lists)
        }
        guard let email else {
            return Self.page(title: "Preferences", body: "<p>This address is no longer on file.</p>")
        }
        var body = saved ? "<p><b>Saved.</b></p>" : ""
        body +=
            "<p>Mail to <b>\(HTMLEscaping.escape(email))</b> (\(HTMLEscaping.escape(status))).</p><form method=\"post\" action=\"/p/\(text)\">"
        for (name, member) in lists {
            body +=
                "<label><input type=\"checkbox\" name=\"list\" value=\"\(HTMLEscaping.escape(name))\"\(member ? " checked" : "")> "
                + "\(HTMLEscaping.escape(name))</label><br>"
        }
        body += "<button type=\"submit\">Save</button></form>"
        body +=
            "<form method=\"post\" action=\"/p/\(text)\"><input type=\"hidden\" name=\"unsubscribe_all\" value=\"1\">"
        body += "<button type=\"submit\">Unsubscribe from all</button></form>"
        return Self.page(title: "Preferences", body: body)
    }

    func setLists(contactID: Int64, names: Set<String>) throws {
        try database.pool.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM contact WHERE id = ?", arguments: [contactID]) != nil else {
                return
            }
            try db.execute(sql: "DELETE FROM list_member WHERE contact_id = ?", arguments: [contactID])
            for name in names {
                try db.execute(
                    sql:
                        "INSERT OR IGNORE INTO list_member (list_id, contact_id) SELECT id, ? FROM list WHERE name = ?",
                    arguments: [contactID, name])
            }
        }
    }

    /// `application/x-www-form-urlencoded` pairs.
    static func form(_ text: String) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
        }
    }

    static func page(title: String, body: String) -> Response {
        let html = """
            <!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <meta name="robots" content="noindex"><title>\(title)</title></head>
            <body style="font-family:sans-serif;max-width:36em;margin:2em auto"><h1>\(title)</h1>\(body)</body></html>
            """
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
