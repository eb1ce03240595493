/// Whether the DATA terminator has been seen (RFC 5321 §4.1.1.4).
public enum DataDecodeResult: Hashable, Sendable {
    case needMore
    case complete
}
