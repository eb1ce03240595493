/// One recipient of a spooled message with its DSN parameters and delivery state.
public struct SpoolRecipient: Hashable, Sendable, Codable {
    /// Forward path without brackets, e.g. `user@example.org`.
    public var address: String
    /// RFC 3461 §4.2 ORCPT, `type;address` as received, decoded.
    public var orcpt: String?
    /// RFC 3461 §4.1 NOTIFY bits: 1 success, 2 failure, 4 delay, 8 never; 0 = not given.
    public var notify: UInt8
    public var state: RecipientState

    public init(address: String, orcpt: String? = nil, notify: UInt8 = 0, state: RecipientState = .pending) {
        self.address = address
        self.orcpt = orcpt
        self.notify = notify
        self.state = state
    }
}
