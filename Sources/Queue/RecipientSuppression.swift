/// Addresses that must not be attempted (the suppression list), checked before every delivery attempt.
public protocol RecipientSuppression: Sendable {
    /// Why `address` must not be sent to (the reply text of its failure), or nil when it may.
    func suppressionReason(for address: String) -> String?
}
