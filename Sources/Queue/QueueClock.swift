import Foundation
import NIOConcurrencyHelpers

/// Time as the queue sees it: the system clock in production, a clock the
/// test moves by hand in tests (retries without sleeping).
public protocol QueueClock: Sendable {
    func now() -> Date
    /// Returns at `deadline` (or throws on cancellation).
    func sleep(until deadline: Date) async throws
}

public struct SystemQueueClock: QueueClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let interval = deadline.timeIntervalSinceNow
        if interval > 0 { try await Task.sleep(for: .milliseconds(Int64(interval * 1000) + 1)) }
    }
}

/// A clock that only moves when `advance` is called.
public final class ManualQueueClock: QueueClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, Error>
    }

    private let state: NIOLockedValueBox<(now: Date, sleepers: [UUID: Sleeper])>

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = NIOLockedValueBox((start, [:]))
    }

    public func now() -> Date { state.withLockedValue { $0.now } }

    public func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let due: [CheckedContinuation<Void, Error>] = state.withLockedValue { state in
            state.now += seconds
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for key in ready.keys { state.sleepers[key] = nil }
            return ready.map(\.value.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    public func sleep(until deadline: Date) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if deadline <= state.now { return true }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLockedValue { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
