import DequeModule
import Foundation
import PetrelConfig

/// Items planned to one site (a set of MX hosts), fed to a bounded pool of
/// connections under the site's shaping limits.
final class ReadyQueue {
    let site: String
    var plan: DeliveryPlan
    var shaping: ResolvedShaping
    let source: EgressSource
    var items: Deque<DeliveryItem> = []
    var activeConnections = 0
    var connectionsOpened = 0
    var suspendedUntil: Date?
    var throttledUntil: Date?
    var messageBucket: TokenBucket?
    var connectionBucket: TokenBucket?

    init(site: String, plan: DeliveryPlan, shaping: ResolvedShaping, now: Date, source: EgressSource) {
        self.source = source
        self.site = site
        self.plan = plan
        self.shaping = shaping
        resetBuckets(now: now, factor: 1)
    }

    func resetBuckets(now: Date, factor: Double) {
        messageBucket = shaping.messageRate.map {
            TokenBucket(count: max(1, Int(Double($0.count) * factor)), per: $0.per.seconds, now: now)
        }
        connectionBucket = shaping.connectionRate.map {
            TokenBucket(count: max(1, Int(Double($0.count) * factor)), per: $0.per.seconds, now: now)
        }
    }

    func isSuspended(now: Date) -> Bool { suspendedUntil.map { $0 > now } ?? false }

    /// Connections allowed now: halved while throttled.
    func connectionLimit(now: Date) -> Int {
        let throttled = throttledUntil.map { $0 > now } ?? false
        return throttled ? max(1, shaping.maxConnections / 2) : shaping.maxConnections
    }
}
