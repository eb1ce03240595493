/// One header field (RFC 5322 §2.2): the name as written and the unfolded value.
public struct HeaderField: Hashable, Sendable {
    public var name: String
    /// Unfolded (RFC 5322 §2.2.3), without the leading whitespace after the colon and without the final CRLF.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
