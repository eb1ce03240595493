/// The MAIL parameter RET= (RFC 3461 §4.3).
public enum DSNReturn: String, Hashable, Sendable {
    case full = "FULL"
    case headers = "HDRS"
}
