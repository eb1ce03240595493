/// A fast generator for choices that need to look random but not be secret (retry jitter, weighted
/// picks, the random part of queue ids): SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), seeded once
/// from the system generator. `SystemRandomNumberGenerator` makes a `getrandom` system call per draw.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
