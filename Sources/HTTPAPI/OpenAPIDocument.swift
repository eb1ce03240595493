import Foundation

/// The OpenAPI 3.1 document served at `/api/v1/openapi.json`, built from one table of operations; a test
/// checks that the table and the router's routes are the same set.
enum OpenAPIDocument {
    struct Operation {
        var method: String
        var path: String
        var tag: String
        var summary: String
        /// A schema name in `components.schemas` for the JSON body, or nil.
        var body: String?
        /// Status of the success answer and its schema (nil: no body).
        var success: (Int, String?)
        var query: [String] = []
    }

    static let operations: [Operation] = [
        .init(
            method: "get", path: "/contacts", tag: "contacts", summary: "List contacts", body: nil,
            success: (200, "ContactPage"), query: ["page", "per_page", "list", "segment", "q"]),
        .init(
            method: "post", path: "/contacts", tag: "contacts", summary: "Create a contact (double opt-in optional)",
            body: "ContactInput", success: (201, "Contact")),
        .init(
            method: "get", path: "/contacts/export", tag: "contacts", summary: "Export contacts as CSV or JSON Lines",
            body: nil, success: (200, nil), query: ["format", "list"]),
        .init(
            method: "get", path: "/contacts/{id}", tag: "contacts", summary: "Get a contact", body: nil,
            success: (200, "Contact")),
        .init(
            method: "patch", path: "/contacts/{id}", tag: "contacts", summary: "Update a contact (partial)",
            body: "ContactPatch", success: (200, "Contact")),
        .init(
            method: "put", path: "/contacts/{id}", tag: "contacts", summary: "Update a contact (partial)",
            body: "ContactPatch", success: (200, "Contact")),
        .init(
            method: "delete", path: "/contacts/{id}", tag: "contacts", summary: "Delete a contact", body: nil,
            success: (204, nil)),
        .init(
            method: "post", path: "/contacts/{id}/erase", tag: "contacts",
            summary: "GDPR erase: personal data gone, suppression kept as a hash", body: nil, success: (204, nil)),
        .init(
            method: "get", path: "/contacts/{id}/consent", tag: "contacts", summary: "The contact's consent record",
            body: nil, success: (200, "Consent")),
        .init(
            method: "post", path: "/imports", tag: "imports",
            summary: "Import a CSV (text/csv body): upsert by email; bad rows reported by line", body: nil,
            success: (200, "ImportReport"), query: ["list"]),
        .init(
            method: "get", path: "/lists", tag: "lists", summary: "All lists with member counts", body: nil,
            success: (200, "ListPage")),
        .init(
            method: "post", path: "/lists", tag: "lists", summary: "Create a list", body: "ListInput",
            success: (201, "List")),
        .init(
            method: "get", path: "/lists/{id}", tag: "lists", summary: "Get a list", body: nil, success: (200, "List")),
        .init(
            method: "patch", path: "/lists/{id}", tag: "lists", summary: "Rename a list", body: "ListInput",
            success: (200, "List")),
        .init(
            method: "delete", path: "/lists/{id}", tag: "lists", summary: "Delete a list (contacts stay)", body: nil,
            success: (204, nil)),
        .init(
            method: "post", path: "/lists/{id}/members", tag: "lists", summary: "Add contacts to a list",
            body: "Members", success: (200, nil)),
        .init(
            method: "post", path: "/lists/{id}/members/remove", tag: "lists", summary: "Remove contacts from a list",
            body: "Members", success: (200, nil)),
        .init(
            method: "get", path: "/segments", tag: "segments", summary: "All segments", body: nil,
            success: (200, "SegmentPage")),
        .init(
            method: "post", path: "/segments", tag: "segments", summary: "Save a segment", body: "SegmentInput",
            success: (201, "Segment")),
        .init(
            method: "post", path: "/segments/count", tag: "segments", summary: "Count a definition without saving it",
            body: "SegmentInput", success: (200, "Count")),
        .init(
            method: "get", path: "/segments/{id}", tag: "segments", summary: "Get a segment", body: nil,
            success: (200, "Segment")),
        .init(
            method: "patch", path: "/segments/{id}", tag: "segments", summary: "Change a segment",
            body: "SegmentInput", success: (200, "Segment")),
        .init(
            method: "put", path: "/segments/{id}", tag: "segments", summary: "Change a segment",
            body: "SegmentInput", success: (200, "Segment")),
        .init(
            method: "delete", path: "/segments/{id}", tag: "segments", summary: "Delete a segment", body: nil,
            success: (204, nil)),
        .init(
            method: "get", path: "/segments/{id}/count", tag: "segments", summary: "Count the segment's contacts",
            body: nil, success: (200, "Count")),
        .init(
            method: "get", path: "/segments/{id}/preview", tag: "segments", summary: "The first matching contacts",
            body: nil, success: (200, nil), query: ["limit"]),
        .init(
            method: "get", path: "/templates", tag: "templates", summary: "List templates (newest versions)",
            body: nil, success: (200, "TemplatePage"), query: ["page", "per_page"]),
        .init(
            method: "post", path: "/templates", tag: "templates",
            summary: "Create a template; unknown variables are reported", body: "TemplateInput",
            success: (201, "Template")),
        .init(
            method: "post", path: "/templates/preview", tag: "templates",
            summary: "Render template text with sample data, unsaved", body: "PreviewInput",
            success: (200, "Preview")),
        .init(
            method: "get", path: "/templates/{id}", tag: "templates", summary: "The newest version", body: nil,
            success: (200, "Template")),
        .init(
            method: "put", path: "/templates/{id}", tag: "templates", summary: "Save a new version",
            body: "TemplateInput", success: (200, "Template")),
        .init(
            method: "delete", path: "/templates/{id}", tag: "templates",
            summary: "Delete a template no campaign uses", body: nil, success: (204, nil)),
        .init(
            method: "get", path: "/templates/{id}/versions", tag: "templates", summary: "Every version", body: nil,
            success: (200, nil)),
        .init(
            method: "get", path: "/templates/{id}/versions/{version}", tag: "templates", summary: "One version",
            body: nil, success: (200, "Template")),
        .init(
            method: "post", path: "/templates/{id}/preview", tag: "templates",
            summary: "Render with sample data; missing and unknown variables reported", body: "PreviewInput",
            success: (200, "Preview")),
        .init(
            method: "get", path: "/campaigns", tag: "campaigns", summary: "List campaigns, newest first", body: nil,
            success: (200, "CampaignPage"), query: ["page", "per_page"]),
        .init(
            method: "post", path: "/campaigns", tag: "campaigns", summary: "Create a draft", body: "CampaignInput",
            success: (201, "Campaign")),
        .init(
            method: "get", path: "/campaigns/{id}", tag: "campaigns", summary: "Get a campaign", body: nil,
            success: (200, "Campaign")),
        .init(
            method: "patch", path: "/campaigns/{id}", tag: "campaigns", summary: "Edit a draft",
            body: "CampaignInput", success: (200, "Campaign")),
        .init(
            method: "put", path: "/campaigns/{id}", tag: "campaigns", summary: "Edit a draft",
            body: "CampaignInput", success: (200, "Campaign")),
        .init(
            method: "delete", path: "/campaigns/{id}", tag: "campaigns", summary: "Delete a campaign not sending",
            body: nil, success: (204, nil)),
        .init(
            method: "post", path: "/campaigns/{id}/send", tag: "campaigns",
            summary: "Send now, or at send_at (scheduled)", body: "SendInput", success: (202, "Campaign")),
        .init(
            method: "post", path: "/campaigns/{id}/pause", tag: "campaigns", summary: "Pause after the batch in flight",
            body: nil, success: (200, "Campaign")),
        .init(
            method: "post", path: "/campaigns/{id}/resume", tag: "campaigns",
            summary: "Resume: only contacts not yet mailed", body: nil, success: (202, "Campaign")),
        .init(
            method: "post", path: "/campaigns/{id}/cancel", tag: "campaigns", summary: "Cancel", body: nil,
            success: (200, "Campaign")),
        .init(
            method: "post", path: "/campaigns/{id}/duplicate", tag: "campaigns", summary: "Copy as a new draft",
            body: nil, success: (201, "Campaign")),
        .init(
            method: "post", path: "/campaigns/{id}/test", tag: "campaigns", summary: "Test send to addresses",
            body: "TestInput", success: (202, nil)),
        .init(
            method: "get", path: "/campaigns/{id}/analytics", tag: "campaigns",
            summary: "Sent, delivered, bounces, unique opens and clicks (machines excluded), rates", body: nil,
            success: (200, "Analytics")),
        .init(
            method: "get", path: "/campaigns/{id}/ab", tag: "campaigns",
            summary: "A/B test: phase, per-variant rates with confidence intervals, p-value, decision", body: nil,
            success: (200, "ABResults")),
        .init(
            method: "post", path: "/campaigns/{id}/ab/winner", tag: "campaigns",
            summary: "Choose the A/B winner by hand; the rest of the audience gets it", body: "WinnerInput",
            success: (202, "Campaign")),
        .init(
            method: "get", path: "/automations", tag: "automations", summary: "All automations", body: nil,
            success: (200, "AutomationPage")),
        .init(
            method: "post", path: "/automations", tag: "automations",
            summary: "Create a flow: trigger, steps (send, wait, branch, tag, list, webhook), goal",
            body: "AutomationInput",
            success: (201, "Automation")),
        .init(
            method: "get", path: "/automations/{id}", tag: "automations",
            summary: "A flow with its runs per state and active runs per step", body: nil, success: (200, "Automation")),
        .init(
            method: "patch", path: "/automations/{id}", tag: "automations",
            summary: "Rename, pause or activate; trigger and steps only before anyone entered", body: "AutomationInput",
            success: (200, "Automation")),
        .init(
            method: "delete", path: "/automations/{id}", tag: "automations", summary: "Delete a flow and its runs",
            body: nil, success: (204, nil)),
        .init(
            method: "get", path: "/automations/{id}/contacts/{contact}", tag: "automations",
            summary: "A contact's runs of the flow and the steps each went through", body: nil, success: (200, nil)),
        .init(
            method: "post", path: "/events", tag: "events", summary: "A custom event for a contact (triggers flows)",
            body: "EventInput", success: (202, nil)),
        .init(
            method: "get", path: "/webhooks", tag: "webhooks", summary: "Webhook subscriptions (secrets left out)",
            body: nil, success: (200, "WebhookPage")),
        .init(
            method: "post", path: "/webhooks", tag: "webhooks",
            summary: "Subscribe a URL to events; the answer holds the signing secret", body: "WebhookInput",
            success: (201, "Webhook")),
        .init(
            method: "get", path: "/webhooks/{id}", tag: "webhooks", summary: "A webhook with its secret", body: nil,
            success: (200, "Webhook")),
        .init(
            method: "patch", path: "/webhooks/{id}", tag: "webhooks",
            summary: "Change URL, events, active, description",
            body: "WebhookInput", success: (200, "Webhook")),
        .init(
            method: "delete", path: "/webhooks/{id}", tag: "webhooks", summary: "Delete a webhook and its log",
            body: nil,
            success: (204, nil)),
        .init(
            method: "get", path: "/webhooks/{id}/deliveries", tag: "webhooks",
            summary: "Deliveries, newest first, each with its attempts", body: nil, success: (200, nil),
            query: ["per_page"]),
        .init(
            method: "post", path: "/webhooks/deliveries/{id}/retry", tag: "webhooks",
            summary: "Send a pending or failed delivery again now", body: nil, success: (202, nil)),
        .init(
            method: "get", path: "/suppression", tag: "suppression", summary: "Suppressed addresses in order added",
            body: nil, success: (200, nil), query: ["after", "kind", "limit"]),
        .init(
            method: "post", path: "/suppression", tag: "suppression", summary: "Suppress an address",
            body: "SuppressionInput", success: (201, "Suppression")),
        .init(
            method: "get", path: "/suppression/{address}", tag: "suppression", summary: "Why an address is suppressed",
            body: nil, success: (200, "Suppression")),
        .init(
            method: "delete", path: "/suppression/{address}", tag: "suppression", summary: "Remove an address",
            body: nil, success: (204, nil)),
        .init(
            method: "post", path: "/messages", tag: "messages",
            summary: "Send one transactional message (template, parts or raw); Idempotency-Key honoured",
            body: "MessageInput", success: (202, "MessageAccepted")),
        .init(
            method: "get", path: "/metrics", tag: "meta",
            summary: "Prometheus metrics (text format 0.0.4): SMTP sessions, spool, queue by domain and site, outcomes",
            body: nil, success: (200, nil)),
        .init(
            method: "get", path: "/openapi.json", tag: "meta", summary: "This document", body: nil,
            success: (200, nil)),
    ]

    static func object(_ properties: [String: String], required: [String] = []) -> [String: Any] {
        var schema: [String: Any] = [
            "type": "object",
            "properties": properties.mapValues { type -> [String: Any] in
                switch type {
                case "string[]": ["type": "array", "items": ["type": "string"]]
                case "integer[]": ["type": "array", "items": ["type": "integer"]]
                case "object[]": ["type": "array", "items": ["type": "object"]]
                case "map": ["type": "object", "additionalProperties": ["type": "string"]]
                case "object": ["type": "object"]
                case "date-time": ["type": "string", "format": "date-time"]
                default: ["type": type]
                }
            },
        ]
        if !required.isEmpty { schema["required"] = required }
        return schema
    }

    static var schemas: [String: Any] {
        let contact = [
            "id": "integer", "email": "string", "first_name": "string", "last_name": "string", "status": "string",
            "tags": "string[]", "fields": "map", "lists": "string[]", "created": "date-time", "updated": "date-time",
        ]
        let campaignInput = [
            "name": "string", "template_id": "integer", "template_version": "integer", "from_address": "string",
            "from_name": "string", "reply_to": "string", "sending_domain": "string", "postal_address": "string",
            "audience": "object", "data": "map", "recurrence": "string", "ab_test": "object",
        ]
        var campaign = campaignInput
        for (key, type) in [
            "id": "integer", "status": "string", "send_at": "date-time", "parent_id": "integer", "created": "date-time",
            "updated": "date-time", "started": "date-time", "finished": "date-time", "ab": "object",
        ] { campaign[key] = type }
        let template = [
            "id": "integer", "name": "string", "version": "integer", "subject": "string", "html": "string",
            "text": "string", "created": "date-time", "updated": "date-time", "problems": "object",
        ]
        func page(_ item: String) -> [String: Any] {
            [
                "type": "object",
                "properties": [
                    "items": ["type": "array", "items": ["$ref": "#/components/schemas/\(item)"]],
                    "total": ["type": "integer"], "page": ["type": "integer"], "per_page": ["type": "integer"],
                ],
            ]
        }
        return [
            "Error": [
                "type": "object",
                "properties": ["error": object(["code": "string", "message": "string", "field": "string"])],
            ],
            "Contact": object(contact),
            "ContactPage": page("Contact"),
            "ContactInput": object(
                [
                    "email": "string", "first_name": "string", "last_name": "string", "status": "string",
                    "tags": "string[]", "fields": "map", "lists": "string[]", "double_opt_in": "boolean",
                    "consent_source": "string",
                ], required: ["email"]),
            "ContactPatch": object(
                [
                    "email": "string", "first_name": "string", "last_name": "string", "status": "string",
                    "tags": "string[]", "fields": "object", "lists": "string[]",
                ]),
            "Consent": object(
                [
                    "contact_id": "integer", "source": "string", "ip": "string", "time": "date-time",
                    "confirmed": "date-time",
                ]),
            "ImportReport": object(
                [
                    "rows": "integer", "inserted": "integer", "updated": "integer", "duplicates": "integer",
                    "errors": "object",
                ]),
            "List": object(["id": "integer", "name": "string", "members": "integer", "created": "date-time"]),
            "ListPage": page("List"),
            "ListInput": object(["name": "string"], required: ["name"]),
            "Members": object(["contact_ids": "integer[]"], required: ["contact_ids"]),
            "Segment": object(
                [
                    "id": "integer", "name": "string", "definition": "object", "created": "date-time",
                    "updated": "date-time",
                ]),
            "SegmentPage": page("Segment"),
            "SegmentInput": object(["name": "string", "definition": "object"]),
            "Count": object(["count": "integer", "seconds": "number"]),
            "Template": object(template),
            "TemplatePage": page("Template"),
            "TemplateInput": object(
                ["name": "string", "subject": "string", "html": "string", "text": "string"],
                required: ["subject", "html"]),
            "PreviewInput": object(
                ["subject": "string", "html": "string", "text": "string", "version": "integer", "sample": "object"]),
            "Preview": object(["subject": "string", "html": "string", "text": "string", "problems": "object"]),
            "Campaign": object(campaign),
            "CampaignPage": page("Campaign"),
            "CampaignInput": object(campaignInput),
            "SendInput": object(["send_at": "date-time"]),
            "TestInput": object(["addresses": "string[]"], required: ["addresses"]),
            "ABResults": object([
                "ab_test": "object", "phase": "string", "decide_at": "date-time", "results": "object",
                "decision": "object",
            ]),
            "WinnerInput": object(["variant": "string"], required: ["variant"]),
            "AutomationInput": object(
                [
                    "name": "string", "status": "string", "trigger": "object", "steps": "object[]", "goal": "object",
                    "allow_reentry": "boolean", "from_address": "string", "from_name": "string",
                    "postal_address": "string",
                ], required: ["name", "trigger", "steps", "from_address"]),
            "Automation": object(
                [
                    "id": "integer", "name": "string", "status": "string", "trigger": "object", "steps": "object[]",
                    "goal": "object", "allow_reentry": "boolean", "from_address": "string", "from_name": "string",
                    "postal_address": "string", "created": "date-time", "updated": "date-time", "runs": "object",
                    "active_by_position": "object", "steps_done": "integer",
                ]),
            "WebhookInput": object(
                [
                    "url": "string", "events": "string[]", "secret": "string", "active": "boolean",
                    "description": "string",
                ], required: ["url", "events"]),
            "Webhook": object(
                [
                    "id": "integer", "url": "string", "events": "string[]", "secret": "string", "active": "boolean",
                    "description": "string", "created": "date-time",
                ]),
            "WebhookPage": object(["items": "object[]", "total": "integer", "page": "integer", "per_page": "integer"]),
            "AutomationPage": object([
                "items": "object[]", "total": "integer", "page": "integer", "per_page": "integer",
            ]),
            "EventInput": object(
                ["event": "string", "email": "string", "contact_id": "integer", "data": "object"], required: ["event"]),
            "Analytics": object(
                [
                    "campaign_id": "integer", "recipients": "integer", "sent": "integer", "delivered": "integer",
                    "bounced": "integer", "hard_bounced": "integer", "soft_bounced": "integer",
                    "unique_opens": "integer", "opens": "integer", "machine_opens": "integer",
                    "unique_clicks": "integer", "clicks": "integer", "machine_clicks": "integer",
                    "unsubscribed": "integer", "complained": "integer", "links": "object", "open_rate": "number",
                    "click_rate": "number", "click_to_open_rate": "number", "bounce_rate": "number",
                    "unsubscribe_rate": "number", "complaint_rate": "number",
                ]),
            "Suppression": object(
                [
                    "id": "integer", "address": "string", "kind": "string", "reason": "string", "source": "string",
                    "time": "date-time", "detail": "string",
                ]),
            "SuppressionInput": object(
                ["address": "string", "kind": "string", "reason": "string"], required: ["address"]),
            "MessageInput": object(
                [
                    "from": "string", "from_name": "string", "to": "string[]", "reply_to": "string",
                    "subject": "string", "html": "string", "text": "string", "raw": "string",
                    "template_id": "integer", "template_version": "integer", "data": "map", "headers": "map",
                    "tenant": "string",
                ], required: ["from", "to"]),
            "MessageAccepted": object(["id": "string", "message_id": "string", "recipients": "integer"]),
        ]
    }

    static var document: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        let errorResponse: [String: Any] = [
            "description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]],
        ]
        for operation in operations {
            var entry: [String: Any] = ["tags": [operation.tag], "summary": operation.summary]
            var parameters: [[String: Any]] = []
            for name in operation.path.split(separator: "/") where name.hasPrefix("{") {
                let key = String(name.dropFirst().dropLast())
                parameters.append([
                    "name": key, "in": "path", "required": true,
                    "schema": ["type": key == "address" ? "string" : "integer"],
                ])
            }
            for name in operation.query {
                parameters.append(["name": name, "in": "query", "required": false, "schema": ["type": "string"]])
            }
            if operation.path == "/messages" {
                parameters.append([
                    "name": "Idempotency-Key", "in": "header", "required": false, "schema": ["type": "string"],
                ])
            }
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if let body = operation.body {
                entry["requestBody"] = [
                    "required": true,
                    "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]],
                ]
            } else if operation.path == "/imports" {
                entry["requestBody"] = ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]]
            }
            var success: [String: Any] = ["description": "Success"]
            if let schema = operation.success.1 {
                success["content"] = ["application/json": ["schema": ["$ref": "#/components/schemas/\(schema)"]]]
            }
            entry["responses"] = [
                "\(operation.success.0)": success, "400": errorResponse, "401": errorResponse, "404": errorResponse,
            ]
            if operation.path != "/openapi.json" { entry["security"] = [["apiKey": [String]()]] }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Petrel API", "version": "1"],
            "servers": [["url": "/api/v1"]],
            "paths": paths,
            "components": [
                "schemas": schemas,
                "securitySchemes": ["apiKey": ["type": "http", "scheme": "bearer", "description": "pk_… API key"]],
            ],
        ]
    }

    static let json: String = {
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }()
}
