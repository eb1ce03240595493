/// What a listener accepts mail for.
public enum ListenerMode: String, Sendable, CaseIterable {
    /// Trusted networks and authenticated clients may send anywhere; others only to the local domains.
    case relay
    /// AUTH is required before MAIL (RFC 6409 §4.3).
    case submission
    /// The public MX: no AUTH offered, mail accepted for the local domains only.
    case inbound
}
