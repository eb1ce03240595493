/// Tells opens and clicks made by software (privacy proxies that fetch every image on delivery, security
/// gateways that follow every link, link-preview bots) from those made by a person, so that reports count
/// people. ``reason(for:)`` is nil for a human, else a short reason stored in `tracking_event.machine_reason`.
///
/// Rules, first match wins:
/// 1. `HEAD` requests: a person's mail client or browser fetches with `GET`; `HEAD` (RFC 9110 §9.3.2)
///    asks for headers only, which is what link checkers and URL reputation scanners do.
/// 2. An empty `User-Agent`: every browser and mail client sends one (RFC 9110 §10.1.5); scripts and some
///    scanners do not.
/// 3. Known scanners and bots by `User-Agent` substring, case-insensitive (``defaultScannerAgents``; the
///    tokens are the product names those agents announce). Image proxies that fetch when a person opens
///    the message count as human: Gmail's `GoogleImageProxy` (Gmail fetches and caches images through its
///    proxy when the message is displayed, Google's 2013 announcement "Images now showing") and Yahoo's
///    `YahooMailProxy`, which works the same way.
/// 4. Opens through Apple Mail Privacy Protection: Apple's proxies fetch remote content of every message in
///    the background, whether or not it is read (Apple, "Mail Privacy Protection", iOS 15 / macOS 12;
///    SocketLabs, "Identifying Apple MPP opens"). They send the bare user agent `Mozilla/5.0` with no
///    product tokens and come from Apple's address space, 17.0.0.0/8 (ARIN NET17, Apple Inc.; more blocks,
///    IPv6 ones too, can be configured). A click with the bare `Mozilla/5.0` is a machine too: no browser
///    sends that.
/// 5. Too soon after sending: nobody opens or clicks within seconds of the message leaving the queue,
///    scanners at the receiving gateway do (default 2 s; ``minimumOpenDelay``, ``minimumClickDelay``).
public struct MachineActivityClassifier: Sendable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case open, click
    }

    /// One hit on a tracking URL.
    public struct Event: Sendable, Hashable {
        public var kind: Kind
        /// The HTTP method, e.g. `GET`.
        public var method: String
        public var userAgent: String
        /// The client address as text (IPv4, IPv6, or IPv4-mapped IPv6).
        public var ip: String
        /// Seconds since the message was queued; nil when unknown.
        public var secondsSinceSent: Double?

        public init(kind: Kind, method: String, userAgent: String, ip: String, secondsSinceSent: Double? = nil) {
            self.kind = kind
            self.method = method
            self.userAgent = userAgent
            self.ip = ip
            self.secondsSinceSent = secondsSinceSent
        }
    }

    /// User-agent substrings of security gateways, link checkers, preview bots and HTTP libraries.
    public static let defaultScannerAgents = [
        "Barracuda", "Mimecast", "Proofpoint", "BingPreview", "Microsoft Office Protocol Discovery",
        "python-requests", "python-urllib", "curl/", "Wget/", "Go-http-client", "HeadlessChrome", "PhantomJS",
        "Slackbot", "facebookexternalhit", "Twitterbot", "LinkedInBot", "Discordbot", "TelegramBot", "Googlebot",
        "bingbot", "Apache-HttpClient", "libwww-perl", "Java/", "node-fetch",
    ]

    /// User-agent substrings of image proxies that fetch on a person's open.
    public static let defaultHumanProxyAgents = ["GoogleImageProxy", "YahooMailProxy"]

    /// The exact user agent of Apple's Mail Privacy Protection proxy.
    public static let applePrivacyProxyAgent = "Mozilla/5.0"

    /// Apple's egress for Mail Privacy Protection: `address/length`, IPv4 or IPv6.
    public static let defaultAppleAddressBlocks = ["17.0.0.0/8"]

    public var minimumOpenDelay: Double
    public var minimumClickDelay: Double
    /// (as configured, lower-cased)
    private let scannerAgents: [(name: String, lowered: String)]
    private let humanProxyAgents: [String]
    private let appleBlocks: [IPAddressPrefix]

    public init(
        minimumOpenDelay: Double = 2, minimumClickDelay: Double = 2, scannerAgents: [String] = defaultScannerAgents,
        humanProxyAgents: [String] = defaultHumanProxyAgents, appleAddressBlocks: [String] = defaultAppleAddressBlocks
    ) {
        self.minimumOpenDelay = minimumOpenDelay
        self.minimumClickDelay = minimumClickDelay
        self.scannerAgents = scannerAgents.map { ($0, $0.lowercased()) }
        self.humanProxyAgents = humanProxyAgents.map { $0.lowercased() }
        appleBlocks = appleAddressBlocks.compactMap(IPAddressPrefix.init)
    }

    /// Why `event` looks like a machine, or nil when it looks like a person.
    public func reason(for event: Event) -> String? {
        if event.method.uppercased() == "HEAD" { return "head-request" }
        let agent = event.userAgent.trimmingASCIIWhitespace()
        if agent.isEmpty { return "empty-user-agent" }
        let lowered = agent.lowercased()
        let humanProxy = humanProxyAgents.contains { lowered.contains($0) }
        if !humanProxy, let scanner = scannerAgents.first(where: { lowered.contains($0.lowered) }) {
            return "scanner: " + scanner.name
        }
        if agent == Self.applePrivacyProxyAgent {
            return event.kind == .open ? "apple-privacy-proxy" : "bare-user-agent"
        }
        if event.kind == .open, appleBlocks.contains(where: { $0.contains(event.ip) }) {
            return "apple-privacy-proxy"
        }
        if let seconds = event.secondsSinceSent {
            let minimum = event.kind == .open ? minimumOpenDelay : minimumClickDelay
            if seconds < minimum { return "too-soon-after-send" }
        }
        return nil
    }

    public func isMachine(_ event: Event) -> Bool { reason(for: event) != nil }
}
