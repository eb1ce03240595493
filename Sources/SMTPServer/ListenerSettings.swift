/// What one SMTP listener offers and whom it serves.
public struct ListenerSettings: Sendable, Hashable {
    /// Who may send what through a listener.
    public enum Mode: String, Sendable, Hashable {
        /// Trusted networks and authenticated clients relay anywhere; others
        /// only to local domains.
        case relay
        /// AUTH is required before MAIL (RFC 6409 §4.3? — message submission).
        case submission
        /// A public MX: no AUTH offered, local domains only.
        case inbound
    }

    public var name: String
    public var host: String
    public var port: Int
    public var mode: Mode
    /// Whether STARTTLS is offered (needs a TLS context on the server).
    public var offersTLS: Bool
    /// Refuse MAIL before STARTTLS.
    public var requireTLS: Bool
    /// Offer AUTH on a connection that is not encrypted.
    public var allowPlaintextAuth: Bool

    public init(
        name: String, host: String, port: Int, mode: Mode, offersTLS: Bool = true, requireTLS: Bool = false,
        allowPlaintextAuth: Bool = false
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.mode = mode
        self.offersTLS = offersTLS
        self.requireTLS = requireTLS
        self.allowPlaintextAuth = allowPlaintextAuth
    }
}
