/// What is wrong with a path or mailbox; becomes 501 5.1.7 or 501 5.1.3 (RFC 3463 §3.2).
struct AddressSyntaxError: Error, Hashable, Sendable {
    var detail: String

    init(_ detail: String) {
        self.detail = detail
    }
}
