/// Whether a listener offers TLS.
public enum ListenerTLS: String, Sendable, CaseIterable {
    /// STARTTLS is offered (RFC 3207).
    case starttls
    /// No TLS.
    case none
}
