/// libcrypto refused an operation that should never fail (out of memory, no entropy source).
///
/// Kept apart from `WebhookError` because it is our fault, not the client's: an HTTP layer answers 500.
public struct WebhookCryptoError: Error, Sendable, Hashable {
    /// The libcrypto function that failed, e.g. `RAND_bytes`.
    public let function: String

    public init(function: String) {
        self.function = function
    }
}
