import NIOConcurrencyHelpers
import NIOCore

/// The bodies of the messages stored last, as they were handed to `append`, up to a number of bytes.
/// Mail is usually delivered moments after it is stored: its body then comes from here, without a read
/// of the segment, a checksum of it and a buffer of its size. A body leaves when its message is removed,
/// or, oldest first, to make room.
final class RecentBodies: Sendable {
    private struct State {
        var bodies: [QueueID: ByteBuffer] = [:]
        var order = CircularBuffer<QueueID>()
        var bytes = 0
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) {
        self.limit = limit
    }

    func insert(_ id: QueueID, _ body: ByteBuffer) {
        let size = body.capacity
        guard size <= limit / 4 else { return }
        state.withLockedValue { state in
            guard state.bodies.updateValue(body, forKey: id) == nil else { return }
            state.order.append(id)
            state.bytes += size
            while state.bytes > limit, let oldest = state.order.popFirst() {
                if let evicted = state.bodies.removeValue(forKey: oldest) { state.bytes -= evicted.capacity }
            }
        }
    }

    func body(_ id: QueueID) -> ByteBuffer? {
        state.withLockedValue { $0.bodies[id] }
    }

    func remove(_ id: QueueID) {
        state.withLockedValue { state in
            guard let removed = state.bodies.removeValue(forKey: id) else { return }
            state.bytes -= removed.capacity
            // Its place in `order` goes when it comes first, or when removed ids are most of the queue (a
            // body kept long at the front must not make the queue grow with every message behind it).
            while let first = state.order.first, state.bodies[first] == nil { state.order.removeFirst() }
            if state.order.count > 2 * state.bodies.count + 64 {
                let bodies = state.bodies
                state.order = CircularBuffer(state.order.filter { bodies[$0] != nil })
            }
        }
    }

    /// Bodies held, and ids in the eviction queue (tests).
    var counts: (bodies: Int, queued: Int) { state.withLockedValue { ($0.bodies.count, $0.order.count) } }
}
