import Campaigns
import Foundation
import Hummingbird

/// `/api/v1/templates`: Mustache templates with a subject, an HTML part and a text part. Every save is a new
/// version (campaigns pin one); unknown variables are reported at save, and at preview also the variables
/// the sample leaves empty. A part that does not compile throws `TemplateCompileError`, which the error
/// middleware answers with a 400 naming the part.
struct TemplatesController {
    let store: TemplateStore

    struct Body: Decodable {
        var name: String?
        var subject: String?
        var html: String?
        var text: String?
    }

    struct Sample: Decodable {
        var email: String?
        var firstName: String?
        var lastName: String?
        var tags: [String]?
        var fields: [String: String]?
        var campaign: [String: String]?

        enum CodingKeys: String, CodingKey {
            case email, tags, fields, campaign
            case firstName = "first_name"
            case lastName = "last_name"
        }

        var context: RenderContext {
            var data = campaign ?? [:]
            let name = data.removeValue(forKey: "name") ?? "Sample campaign"
            let id = data.removeValue(forKey: "id").flatMap { Int64($0) } ?? 0
            return RenderContext(
                email: email ?? "jane@example.com", firstName: firstName ?? "", lastName: lastName ?? "",
                tags: tags ?? [], fields: fields ?? [:], campaignName: name, campaignID: id, campaignData: data,
                unsubscribeURL: "https://example.com/u/SAMPLE", preferencesURL: "https://example.com/p/SAMPLE",
                postalAddress: "1 Sample Street, Sample City")
        }
    }

    struct PreviewBody: Decodable {
        var subject: String?
        var html: String?
        var text: String?
        var version: Int?
        var sample: Sample?
    }

    struct JSON: Encodable {
        var id: Int64
        var name: String
        var version: Int
        var subject: String
        var html: String
        var text: String
        var created: Date
        var updated: Date
        var problems: [TemplateProblem]?

        init(_ template: StoredTemplate, problems: [TemplateProblem]? = nil) {
            id = template.id
            name = template.name
            version = template.version
            subject = template.subject
            html = template.html
            text = template.text
            created = template.created
            updated = template.updated
            self.problems = problems
        }
    }

    struct Preview: Encodable {
        var subject: String
        var html: String
        var text: String
        var problems: [TemplateProblem]
    }

    static func preview(_ template: EmailTemplate, sample: Sample?) throws -> Preview {
        let renderer = try TemplateRenderer(template)
        let context = (sample ?? Sample()).context
        let rendered = renderer.render(context)
        let known = TemplateVariables.standard(campaignData: context.campaignData.keys)
        return Preview(
            subject: rendered.subject, html: rendered.html, text: rendered.text,
            problems: renderer.check(known: known, sample: context))
    }

    func register(_ router: RouterGroup<APIContext>) {
        router.get("templates") { request, _ in
            let page = try Pagination(request)
            let result = try store.list(page: page.page, perPage: page.perPage)
            return JSONBody.response(
                Page(items: result.items.map { JSON($0) }, total: result.total, page: page.page, perPage: page.perPage))
        }
        router.post("templates") { request, _ in
            let body = try await JSONBody.decode(Body.self, from: request)
            guard let name = body.name, !name.isEmpty else { throw APIError.invalid("name", "name: required") }
            guard let subject = body.subject else { throw APIError.invalid("subject", "subject: required") }
            guard let html = body.html else { throw APIError.invalid("html", "html: required") }
            let template = EmailTemplate(subject: subject, html: html, text: body.text ?? "")
            let renderer = try TemplateRenderer(template)
            let stored = try store.create(name: name, template: template)
            return JSONBody.response(
                JSON(stored, problems: renderer.check(known: .standard())), status: .created)
        }
        router.post("templates/preview") { request, _ in
            let body = try await JSONBody.decode(PreviewBody.self, from: request)
            let template = EmailTemplate(subject: body.subject ?? "", html: body.html ?? "", text: body.text ?? "")
            return JSONBody.response(try Self.preview(template, sample: body.sample))
        }
        router.get("templates/:id") { _, context in
            let id = try context.parameters.id()
            guard let template = try store.get(id: id) else { throw APIError.notFound("template \(id)") }
            return JSONBody.response(JSON(template))
        }
        router.put("templates/:id") { request, context in
            let id = try context.parameters.id()
            let body = try await JSONBody.decode(Body.self, from: request)
            guard let current = try store.get(id: id) else { throw APIError.notFound("template \(id)") }
            let template = EmailTemplate(
                subject: body.subject ?? current.subject, html: body.html ?? current.html,
                text: body.text ?? current.text)
            let renderer = try TemplateRenderer(template)
            let stored = try store.update(id: id, name: body.name, template: template)
            return JSONBody.response(JSON(stored, problems: renderer.check(known: .standard())))
        }
        router.delete("templates/:id") { _, context in
            try store.delete(id: try context.parameters.id())
            return Response(status: .noContent)
        }
        router.get("templates/:id/versions") { _, context in
            let id = try context.parameters.id()
            let versions = try store.versions(id: id)
            guard !versions.isEmpty else { throw APIError.notFound("template \(id)") }
            return JSONBody.response(["items": versions.map { JSON($0) }])
        }
        router.get("templates/:id/versions/:version") { _, context in
            let id = try context.parameters.id()
            guard let version = context.parameters.get("version", as: Int.self),
                let template = try store.get(id: id, version: version)
            else { throw APIError.notFound("such version of template \(id)") }
            return JSONBody.response(JSON(template))
        }
        router.post("templates/:id/preview") { request, context in
            let id = try context.parameters.id()
            let body = try await JSONBody.decode(PreviewBody.self, from: request)
            let stored = try body.version.map { try store.get(id: id, version: $0) } ?? store.get(id: id)
            guard let stored else { throw APIError.notFound("template \(id)") }
            return JSONBody.response(try Self.preview(stored.template, sample: body.sample))
        }
    }
}
