/// `[webhooks]`: how event deliveries to webhook subscribers (`/api/v1/webhooks`) are retried.
public struct WebhooksConfig: Sendable, Equatable {
    /// The wait after a first failed attempt; it doubles with each further failure.
    public var firstRetry: Duration
    /// The longest wait between attempts.
    public var maxRetry: Duration
    /// Attempts before a delivery is marked failed.
    public var maxAttempts: Int
    /// How long one attempt may take (connect, send, answer).
    public var timeout: Duration

    public static let defaults = WebhooksConfig(
        firstRetry: .seconds(30), maxRetry: .seconds(3600), maxAttempts: 12, timeout: .seconds(10))

    public init(firstRetry: Duration, maxRetry: Duration, maxAttempts: Int, timeout: Duration) {
        self.firstRetry = firstRetry
        self.maxRetry = maxRetry
        self.maxAttempts = maxAttempts
        self.timeout = timeout
    }

    init(reading reader: inout ConfigReader) throws(ConfigError) {
        let defaults = Self.defaults
        firstRetry = try reader.duration("first_retry", default: defaults.firstRetry)
        maxRetry = try reader.duration("max_retry", default: defaults.maxRetry)
        maxAttempts = try reader.integer("max_attempts", default: defaults.maxAttempts)
        timeout = try reader.duration("timeout", default: defaults.timeout)
        try reader.finish()
    }
}
