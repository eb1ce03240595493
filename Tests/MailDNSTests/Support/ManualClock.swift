import NIOConcurrencyHelpers

/// A clock that moves only when told to.
final class ManualClock: Sendable {
    private let instant = NIOLockedValueBox(ContinuousClock.now)

    var now: ContinuousClock.Instant {
        instant.withLockedValue { $0 }
    }

    func advance(by duration: Duration) {
        instant.withLockedValue { $0 = $0.advanced(by: duration) }
    }

    var function: @Sendable () -> ContinuousClock.Instant {
        { self.now }
    }
}
