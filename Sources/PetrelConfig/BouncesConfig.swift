/// `[bounces]`: where bounces and feedback reports come back, and VERP.
public struct BouncesConfig: Sendable, Equatable {
    /// Domains whose mail is bounce and feedback-loop mail: accepted without AUTH on relay and inbound listeners (port 25
    /// with an `inbound` listener) and handed to the bounce processor instead of being delivered. None: no
    /// bounce processing of incoming mail (`petrel bounces import` still works).
    public var domains: [String]
    /// Rewrite the envelope sender of outgoing mail to a VERP address at the first bounce domain.
    public var verp: Bool
    /// The local part before the token: `b` gives `b+TOKEN@bounce.example.org`.
    public var verpPrefix: String
    /// The HMAC key of VERP tokens; empty: `<data_directory>/verp.key`, generated on first start.
    public var verpKeyFile: String

    public init(domains: [String], verp: Bool, verpPrefix: String, verpKeyFile: String) {
        self.domains = domains.map { $0.lowercased() }
        self.verp = verp
        self.verpPrefix = verpPrefix
        self.verpKeyFile = verpKeyFile
    }

    public static let defaults = BouncesConfig(domains: [], verp: true, verpPrefix: "b", verpKeyFile: "")

    /// Whether mail to `domain` (any case, trailing dot or not) is bounce mail.
    public func isBounceDomain(_ domain: String) -> Bool {
        var domain = domain.lowercased()
        if domain.hasSuffix(".") { domain.removeLast() }
        return domains.contains(domain)
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        domains = []
        for (offset, text) in try reader.stringArray("domains", default: defaults.domains).enumerated() {
            guard DomainName.isValid(text) else {
                throw reader.error("domains", element: offset, "\"\(text)\" is not a domain name")
            }
            domains.append(text.lowercased())
        }
        verp = try reader.bool("verp", default: defaults.verp)
        verpPrefix = try reader.string("verp_prefix", default: defaults.verpPrefix)
        let allowed = verpPrefix.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !verpPrefix.isEmpty, verpPrefix.utf8.count <= 16, allowed else {
            throw reader.error("verp_prefix", "must be 1 to 16 of a-z, 0-9, '-', '_', '.', got \"\(verpPrefix)\"")
        }
        verpKeyFile = try reader.string("verp_key_file", default: defaults.verpKeyFile)
        try reader.finish()
    }
}

/// `[suppression]`: when bounces and complaints stop further mail, and how addresses are compared.
public struct SuppressionConfig: Sendable, Equatable {
    public var hardBounce: Bool
    /// Soft bounces within `softBounceWindow` that suppress; 0: never.
    public var softBounceLimit: Int
    public var softBounceWindow: Duration
    public var complaint: Bool
    public var foldCase: Bool
    public var foldPlusTags: Bool

    public init(
        hardBounce: Bool, softBounceLimit: Int, softBounceWindow: Duration, complaint: Bool, foldCase: Bool,
        foldPlusTags: Bool
    ) {
        self.hardBounce = hardBounce
        self.softBounceLimit = softBounceLimit
        self.softBounceWindow = softBounceWindow
        self.complaint = complaint
        self.foldCase = foldCase
        self.foldPlusTags = foldPlusTags
    }

    public static let defaults = SuppressionConfig(
        hardBounce: true, softBounceLimit: 3, softBounceWindow: .seconds(7 * 86_400), complaint: true, foldCase: true,
        foldPlusTags: false)

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        hardBounce = try reader.bool("hard_bounce", default: defaults.hardBounce)
        softBounceLimit = try reader.integer(
            "soft_bounce_limit", default: defaults.softBounceLimit, minimum: 0, reason: "0: soft bounces never suppress"
        )
        softBounceWindow = try reader.duration("soft_bounce_window", default: defaults.softBounceWindow)
        complaint = try reader.bool("complaint", default: defaults.complaint)
        foldCase = try reader.bool("fold_case", default: defaults.foldCase)
        foldPlusTags = try reader.bool("fold_plus_tags", default: defaults.foldPlusTags)
        try reader.finish()
    }
}
