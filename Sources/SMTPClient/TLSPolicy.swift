/// How the client uses STARTTLS with a destination (RFC 3207).
public enum TLSPolicy: String, Sendable, Hashable {
    /// Never start TLS.
    case disabled
    /// Start TLS when offered; deliver in the clear when not. The
    /// certificate is checked and the outcome recorded, never enforced.
    case opportunistic
    /// Deliver only over TLS with a certificate that verifies for the MX
    /// host name; otherwise the attempt fails temporarily.
    case required
}

/// What TLS gave one connection, for the delivery log.
public enum TLSOutcome: Sendable, Hashable, CustomStringConvertible {
    case none
    case notOffered
    case established(version: String, verified: Bool, detail: String?)
    case failed(String)

    public var description: String {
        switch self {
        case .none: "none"
        case .notOffered: "not offered"
        case .established(let version, let verified, let detail):
            "\(version) \(verified ? "verified" : "unverified")" + (detail.map { " (\($0))" } ?? "")
        case .failed(let reason): "failed: \(reason)"
        }
    }
}
