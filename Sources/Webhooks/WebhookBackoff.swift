import Foundation

/// How long to wait before the next attempt: doubling from `firstRetry`, capped at `maxRetry`, then spread
/// by ±`jitter` so that deliveries which failed together (a receiver outage) do not retry in lockstep.
struct WebhookBackoff: Sendable, Hashable {
    var firstRetry: TimeInterval
    var maxRetry: TimeInterval
    /// Fraction of the delay, 0.1 for ±10 %.
    var jitter: Double = 0.1

    /// The delay after `attempts` failed attempts (1 for the first failure), with `unit` in 0…1 choosing
    /// where in the jitter band it falls (0.5 is the middle). Taking the random number as an argument keeps
    /// the function pure, so tests can check the bounds exactly.
    func delay(afterAttempts attempts: Int, unit: Double) -> TimeInterval {
        // 2^62 seconds already exceeds any cap; limiting the exponent keeps the power finite.
        let exponent = Double(min(max(attempts - 1, 0), 62))
        let base = min(firstRetry * pow(2, exponent), maxRetry)
        let spread = jitter * (2 * min(max(unit, 0), 1) - 1)
        return max(base * (1 + spread), 0)
    }

    /// The delay with a uniformly random position in the jitter band.
    func delay(afterAttempts attempts: Int) -> TimeInterval {
        delay(afterAttempts: attempts, unit: Double.random(in: 0...1))
    }
}
