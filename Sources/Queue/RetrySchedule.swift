import Foundation

/// When to try again after a temporary failure: exponential backoff with
/// jitter, capped, until the message is too old.
public struct RetrySchedule: Sendable, Equatable {
    public var initial: Duration
    public var factor: Double
    public var maximum: Duration
    public var maxAge: Duration
    /// ± this fraction of random spread, so that retries of one burst do not
    /// come back as one burst.
    public var jitter: Double

    public init(
        initial: Duration = .seconds(300), factor: Double = 2, maximum: Duration = .seconds(3600),
        maxAge: Duration = .seconds(5 * 86_400), jitter: Double = 0.1
    ) {
        self.initial = initial
        self.factor = factor
        self.maximum = maximum
        self.maxAge = maxAge
        self.jitter = jitter
    }

    /// The wait after failed attempt number `attempt` (1 = the first).
    public func delay(afterAttempt attempt: Int, random: inout some RandomNumberGenerator) -> TimeInterval {
        let base = initial.seconds * pow(factor, Double(max(0, attempt - 1)))
        let capped = min(base, maximum.seconds)
        guard jitter > 0 else { return capped }
        return capped * (1 + Double.random(in: -jitter...jitter, using: &random))
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
