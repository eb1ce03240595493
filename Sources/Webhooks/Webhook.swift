import Foundation
import GRDB

/// An HTTP endpoint that receives signed POSTs for the events it subscribes to (a row of `webhook`).
public struct Webhook: Sendable, Hashable, Codable {
    public var id: Int64
    /// An absolute `http` or `https` URL with a host.
    public var url: String
    /// Raw values of `WebhookEvent`, in the order given at creation, without duplicates.
    public var events: [String]
    /// The HMAC key of `WebhookSignature`; `whsec_` and 64 hex digits when Petrel generated it.
    public var secret: String
    /// An inactive webhook keeps its pending deliveries but neither gets new ones nor is sent any.
    public var active: Bool
    public var description: String
    public var created: Date

    public init(
        id: Int64, url: String, events: [String], secret: String, active: Bool, description: String, created: Date
    ) {
        self.id = id
        self.url = url
        self.events = events
        self.secret = secret
        self.active = active
        self.description = description
        self.created = created
    }

    /// Whether this webhook wants `event` now.
    public func subscribes(to event: WebhookEvent) -> Bool {
        active && events.contains(event.rawValue)
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case url
        case events
        case secret
        case active
        case description
        case created
    }
}

extension Webhook {
    /// Decodes a `SELECT * FROM webhook` row; `events` is stored as a JSON array of strings.
    init(row: Row) throws {
        let eventsText: String = try row.decode(forColumn: "events")
        self.init(
            id: try row.decode(forColumn: "id"),
            url: try row.decode(forColumn: "url"),
            events: try JSONDecoder().decode([String].self, from: Data(eventsText.utf8)),
            secret: try row.decode(forColumn: "secret"),
            active: try row.decode(forColumn: "active"),
            description: try row.decode(forColumn: "description"),
            created: Date(timeIntervalSince1970: try row.decode(forColumn: "created"))
        )
    }
}
