import Foundation
import Spool

/// Items of one queue key ordered by (due time, priority): a binary min-heap,
/// so a queue of millions costs O(log n) per item.
struct ScheduledQueue {
    private(set) var heap: [DeliveryItem] = []

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }
    var nextDue: Date? { heap.first?.due }
    var oldestArrival: Date? { heap.lazy.map(\.arrival).min() }

    /// Higher priority first among items due at the same moment; earlier due first.
    private static func before(_ a: DeliveryItem, _ b: DeliveryItem) -> Bool {
        if a.due != b.due { return a.due < b.due }
        return a.priority > b.priority
    }

    mutating func push(_ item: DeliveryItem) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every item due at or before `now`, by priority.
    mutating func popDue(now: Date, limit: Int = .max) -> [DeliveryItem] {
        var due: [DeliveryItem] = []
        while due.count < limit, let first = heap.first, first.due <= now {
            due.append(pop())
        }
        return due.sorted { $0.priority > $1.priority }
    }

    /// Makes every item due at `date` (flush).
    mutating func makeAllDue(at date: Date) {
        for index in heap.indices where heap[index].due > date { heap[index].due = date }
        let items = heap
        heap.removeAll(keepingCapacity: true)
        for item in items { push(item) }
    }

    /// Removes the items of one message.
    mutating func remove(message id: QueueID) -> [DeliveryItem] {
        let removed = heap.filter { $0.message == id }
        guard !removed.isEmpty else { return [] }
        let kept = heap.filter { $0.message != id }
        heap.removeAll(keepingCapacity: true)
        for item in kept { push(item) }
        return removed
    }

    private mutating func pop() -> DeliveryItem {
        let top = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
