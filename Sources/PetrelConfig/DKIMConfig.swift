import Foundation

/// `[dkim]`: which mail is signed, with which keys (RFC 6376; dual signing
/// RSA + Ed25519 per RFC 8463 §6 is two `[[dkim.domain.key]]` entries).
public struct DKIMConfig: Sendable, Equatable {
    public struct Key: Sendable, Equatable {
        public var selector: String
        public var keyFile: String
        /// Rotation: from `switchAt` on, `nextSelector`/`nextKeyFile` sign.
        public var nextSelector: String?
        public var nextKeyFile: String?
        public var switchAt: Date?

        public init(
            selector: String, keyFile: String, nextSelector: String? = nil, nextKeyFile: String? = nil,
            switchAt: Date? = nil
        ) {
            self.selector = selector
            self.keyFile = keyFile
            self.nextSelector = nextSelector
            self.nextKeyFile = nextKeyFile
            self.switchAt = switchAt
        }
    }

    public struct Domain: Sendable, Equatable {
        public var name: String
        public var keys: [Key]

        public init(name: String, keys: [Key]) {
            self.name = name
            self.keys = keys
        }
    }

    /// "relaxed/relaxed" (default), "relaxed/simple", "simple/simple", "simple/relaxed".
    public var canonicalization: String
    /// x= is t= plus this; nil: no x=.
    public var expiration: Duration?
    public var domains: [Domain]
    /// Header fields to sign (h=); empty: the built-in list.
    public var headers: [String] = []
    /// Fields signed once more than they occur, so that adding one breaks
    /// the signature (RFC 6376 §8.15); empty: the built-in list.
    public var oversign: [String] = []
    /// Tenant → signing domain (a tenant signs for its own domain).
    public var tenants: [String: String]

    public init(canonicalization: String, expiration: Duration?, domains: [Domain], tenants: [String: String]) {
        self.canonicalization = canonicalization
        self.expiration = expiration
        self.domains = domains
        self.tenants = tenants
    }

    public static let defaults = DKIMConfig(
        canonicalization: "relaxed/relaxed", expiration: nil, domains: [], tenants: [:])

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        canonicalization = try reader.string("canonicalization", default: "relaxed/relaxed")
        let forms = ["relaxed/relaxed", "relaxed/simple", "simple/simple", "simple/relaxed"]
        guard forms.contains(canonicalization) else {
            throw reader.error(
                "canonicalization", "expected one of \(forms.joined(separator: ", ")), got \"\(canonicalization)\"")
        }
        expiration = reader.contains("expiration") ? try reader.duration("expiration", default: .seconds(1)) : nil
        headers = try reader.stringArray("headers", default: [])
        oversign = try reader.stringArray("oversign", default: [])
        if !headers.isEmpty && !headers.contains(where: { $0.caseInsensitiveCompare("From") == .orderedSame }) {
            // RFC 6376 §5.4: the From field must be signed.
            throw reader.error("headers", "must include From (RFC 6376 §5.4)")
        }
        domains = []
        for var domainReader in try reader.tableArray("domain") ?? [] {
            let name = try domainReader.requiredString("name").lowercased()
            var keys: [Key] = []
            for var keyReader in try domainReader.tableArray("key") ?? [] {
                let selector = try keyReader.requiredString("selector")
                let keyFile = try keyReader.requiredString("key_file")
                let nextSelector = try keyReader.string("next_selector", default: "")
                let nextKeyFile = try keyReader.string("next_key_file", default: "")
                let switchText = try keyReader.string("switch_at", default: "")
                var switchAt: Date?
                if !switchText.isEmpty {
                    guard let date = ISO8601DateFormatter().date(from: switchText) else {
                        throw keyReader.error(
                            "switch_at", "expected a time like \"2026-12-01T00:00:00Z\", got \"\(switchText)\"")
                    }
                    switchAt = date
                }
                if nextSelector.isEmpty != nextKeyFile.isEmpty || (switchAt != nil) != !nextSelector.isEmpty {
                    throw keyReader.error(
                        "next_selector", "rotation needs next_selector, next_key_file and switch_at together")
                }
                try keyReader.finish()
                keys.append(
                    Key(
                        selector: selector, keyFile: keyFile, nextSelector: nextSelector.isEmpty ? nil : nextSelector,
                        nextKeyFile: nextKeyFile.isEmpty ? nil : nextKeyFile, switchAt: switchAt))
            }
            if keys.isEmpty {
                throw domainReader.error("key", "a signing domain needs at least one [[dkim.domain.key]]")
            }
            try domainReader.finish()
            domains.append(Domain(name: name, keys: keys))
        }
        var tenantReader = try reader.section("tenants")
        tenants = [:]
        for name in tenantReader.keys {
            tenants[name] = try tenantReader.string(name, default: "").lowercased()
        }
        try tenantReader.finish()
        try reader.finish()
    }
}
