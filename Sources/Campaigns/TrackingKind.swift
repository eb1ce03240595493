/// What a tracking token is for; the raw value is the token's first byte.
public enum TrackingKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The open pixel (`/t/o/TOKEN`).
    case open = 1
    /// A tracked link (`/t/c/TOKEN`), carrying the target URL.
    case click = 2
    /// One-click unsubscribe (`/u/TOKEN`, RFC 8058).
    case unsubscribe = 3
    /// The preference page (`/p/TOKEN`).
    case preferences = 4
    /// Double opt-in confirmation (`/confirm/TOKEN`), carrying when it was issued.
    case confirm = 5

    public var description: String {
        switch self {
        case .open: "open"
        case .click: "click"
        case .unsubscribe: "unsubscribe"
        case .preferences: "preferences"
        case .confirm: "confirm"
        }
    }
}
