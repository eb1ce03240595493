import COpenSSL
import Foundation
import GRDB
import Storage

/// API keys: `pk_` and 40 hex digits, shown once when made; only their SHA-256 is stored. A key carries
/// scopes: `all`, or resource names (`contacts`, `lists`, `segments`, `templates`, `campaigns`, `imports`,
/// `suppression`, `messages`, `automations`, `events`, `webhooks`, `metrics`).
public struct APIKeyStore: Sendable {
    public static let scopes: Set<String> = [
        "all", "contacts", "lists", "segments", "templates", "campaigns", "imports", "suppression", "messages",
        "automations", "events", "webhooks", "metrics",
    ]

    public struct Key: Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var prefix: String
        public var scopes: [String]
        public var created: Date

        /// Whether the key may use resource `scope`.
        public func allows(_ scope: String) -> Bool { scopes.contains("all") || scopes.contains(scope) }
    }

    let database: PetrelDatabase

    public init(database: PetrelDatabase) { self.database = database }

    /// Makes a key; returns it with the secret, which is not stored.
    public func create(name: String, scopes: [String], now: Date = Date()) throws -> (key: Key, secret: String) {
        guard !name.isEmpty else { throw APIKeyError.invalid("name must not be empty") }
        guard !scopes.isEmpty else { throw APIKeyError.invalid("give at least one scope") }
        if let unknown = scopes.first(where: { !Self.scopes.contains($0) }) {
            throw APIKeyError.invalid(
                "unknown scope \"\(unknown)\" (known: \(Self.scopes.sorted().joined(separator: ", ")))")
        }
        var generator = SystemRandomNumberGenerator()
        let secret =
            "pk_"
            + (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
            .joined()
        let prefix = String(secret.prefix(10))
        return try database.pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_key WHERE name = ?", arguments: [name]) != nil {
                throw APIKeyError.invalid("a key named \"\(name)\" exists")
            }
            try db.execute(
                sql: "INSERT INTO api_key (name, prefix, hash, scopes, created) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, prefix, Self.hash(secret), scopes.joined(separator: ","), now.timeIntervalSince1970])
            return (
                Key(id: db.lastInsertedRowID, name: name, prefix: prefix, scopes: scopes, created: now), secret
            )
        }
    }

    /// The key with this secret, or nil.
    public func authenticate(_ secret: String) throws -> Key? {
        guard secret.hasPrefix("pk_"), secret.utf8.count < 200 else { return nil }
        return try database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, prefix, scopes, created FROM api_key WHERE hash = ?",
                arguments: [Self.hash(secret)]
            ).map(Self.key)
        }
    }

    public func list() throws -> [Key] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, prefix, scopes, created FROM api_key ORDER BY id").map(Self.key)
        }
    }

    /// Revokes a key by name; returns whether one was.
    public func revoke(name: String) throws -> Bool {
        try database.pool.write { db in
            try db.execute(sql: "DELETE FROM api_key WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    static func key(_ row: Row) -> Key {
        Key(
            id: row[0], name: row[1], prefix: row[2],
            scopes: (row[3] as String).split(separator: ",").map(String.init),
            created: Date(timeIntervalSince1970: row[4]))
    }

    /// Hex SHA-256 of the secret.
    static func hash(_ secret: String) -> String {
        let bytes = Array(secret.utf8)
        var digest = [UInt8](repeating: 0, count: 32)
        _ = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest.map { String(format: "%02x", $0) }.joined()
    }
}

public struct APIKeyError: Error, CustomStringConvertible {
    public var description: String
    static func invalid(_ message: String) -> APIKeyError { APIKeyError(description: message) }
}
