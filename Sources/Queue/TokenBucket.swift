import Foundation

/// A token bucket: `rate` tokens per `period`, holding at most one period's
/// worth, so a path may burst up to its per-period rate and no further.
struct TokenBucket {
    let capacity: Double
    let perSecond: Double
    private var tokens: Double
    private var last: Date

    init(count: Int, per period: TimeInterval, now: Date) {
        capacity = Double(count)
        perSecond = Double(count) / period
        tokens = Double(count)
        last = now
    }

    /// Takes one token if there is one; otherwise the time one will be there.
    mutating func take(now: Date) -> Date? {
        refill(now: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return now.addingTimeInterval((1 - tokens) / perSecond)
    }

    private mutating func refill(now: Date) {
        let elapsed = now.timeIntervalSince(last)
        if elapsed > 0 {
            tokens = min(capacity, tokens + elapsed * perSecond)
            last = now
        }
    }
}
