import Foundation
import Storage

/// Renders campaign messages from the campaign's pinned template version: personalised parts, tracked links
/// and open pixel, the unsubscribe and preference links, the sender's postal address, and the bulk-mail
/// header fields — List-Unsubscribe with List-Unsubscribe-Post (RFC 2369, RFC 8058), Feedback-ID,
/// X-Campaign-ID.
public struct TemplateCampaignComposer: CampaignComposer {
    let templates: TemplateStore
    let links: TrackingLinks

    public init(database: PetrelDatabase, links: TrackingLinks) {
        templates = TemplateStore(database: database)
        self.links = links
    }

    public func prepare(_ campaign: Campaign) throws -> any PreparedCampaign {
        guard let templateID = campaign.templateID else {
            throw CampaignStoreError.invalid(field: "template_id", reason: "a campaign needs a template to send")
        }
        let stored =
            try campaign.templateVersion.map { try templates.get(id: templateID, version: $0) }
            ?? templates.get(id: templateID)
        guard let stored else { throw CampaignStoreError.notFound(resource: "template", id: "\(templateID)") }
        var template = stored.template
        if let subject = campaign.subjectOverride { template.subject = subject }
        let renderer = try TemplateRenderer(Self.withFooter(template))
        // Links that do not depend on the contact are resolved once, from a rendering without one.
        let sample = RenderContext(
            email: "", campaignName: campaign.name, campaignID: campaign.id, campaignData: campaign.data,
            postalAddress: campaign.postalAddress)
        return Prepared(
            campaign: campaign, renderer: renderer, links: links,
            knownLinks: links.knownLinks(html: renderer.renderBytes(sample).html))
    }

    /// CAN-SPAM (15 U.S.C. §7704(a)(3), (a)(5)): every message shows a way to opt out and the sender's postal
    /// address. A template that does not use `{{unsubscribe_url}}` or `{{postal_address}}` gets a footer
    /// with them.
    static func withFooter(_ template: EmailTemplate) -> EmailTemplate {
        var template = template
        let usesUnsubscribe = (template.html + template.text).contains("unsubscribe_url")
        let usesPostal = (template.html + template.text).contains("postal_address")
        guard !usesUnsubscribe || !usesPostal else { return template }
        var htmlFooter = "<p style=\"font-size:12px;color:#666\">"
        var textFooter = "\n\n--\n"
        if !usesUnsubscribe {
            htmlFooter +=
                "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a> · <a href=\"{{preferences_url}}\">Preferences</a>"
            textFooter += "Unsubscribe: {{unsubscribe_url}}\n"
        }
        if !usesPostal {
            htmlFooter += (usesUnsubscribe ? "" : "<br>") + "{{postal_address}}"
            textFooter += "{{postal_address}}\n"
        }
        htmlFooter += "</p>"
        if let body = template.html.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
            template.html.insert(contentsOf: htmlFooter, at: body.lowerBound)
        } else {
            template.html += htmlFooter
        }
        if !template.text.isEmpty { template.text += textFooter }
        return template
    }

    struct Prepared: PreparedCampaign {
        let campaign: Campaign
        let renderer: TemplateRenderer
        let links: TrackingLinks
        let knownLinks: [HTMLLinkRewriter.KnownLink]

        func message(for contact: Contact, queueID: String) throws -> [UInt8] {
            let contactID = contact.id ?? 0
            let unsubscribe = links.unsubscribeURL(campaign: campaign.id, contact: contactID)
            let context = RenderContext(
                email: contact.email, firstName: contact.firstName, lastName: contact.lastName, tags: contact.tags,
                fields: contact.fields, campaignName: campaign.name, campaignID: campaign.id,
                campaignData: campaign.data, unsubscribeURL: unsubscribe,
                preferencesURL: links.preferencesURL(campaign: campaign.id, contact: contactID),
                postalAddress: campaign.postalAddress)
            let rendered = renderer.renderBytes(context)
            let domain = campaign.effectiveSendingDomain
            let composer = MailComposer(
                from: campaign.fromAddress, fromName: campaign.fromName, to: contact.email,
                subject: rendered.subject, replyTo: campaign.replyTo,
                messageID: "<\(queueID.lowercased()).c\(campaign.id)@\(domain)>",
                headers: [
                    ("List-Unsubscribe", "<\(unsubscribe)>"),
                    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                    ("Feedback-ID", "c\(campaign.id):campaign:\(domain):petrel"),
                    ("X-Campaign-ID", "c\(campaign.id)"),
                ])
            return composer.bytes(
                text: rendered.text,
                html: rendered.html.isEmpty
                    ? []
                    : links.rewrite(html: rendered.html, campaign: campaign.id, contact: contactID, known: knownLinks))
        }
    }
}
