import NIOConcurrencyHelpers

/// A `SeededGenerator` shared as the `@Sendable () -> UInt64` the planner takes.
final class SeededGeneratorBox: Sendable {
    private let generator: NIOLockedValueBox<SeededGenerator>

    init(seed: UInt64) {
        generator = NIOLockedValueBox(SeededGenerator(seed: seed))
    }

    var next: @Sendable () -> UInt64 {
        { self.generator.withLockedValue { $0.next() } }
    }
}
