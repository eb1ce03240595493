import Suppression
import Testing

@Suite struct FingerprintSetTests {
    @Test func agreesWithASetUnderRandomInsertsAndRemovals() {
        var generator = SplitMix(seed: 42)
        var set = FingerprintSet(minimumCapacity: 16)
        var oracle = Set<UInt64>()
        for _ in 0..<200_000 {
            // A small key space makes collisions in probe runs, removals of absent keys and re-inserts common.
            let key = generator.next() % 5_000
            switch generator.next() % 3 {
            case 0, 1:
                let inserted = set.insert(key)
                #expect(inserted == oracle.insert(key).inserted)
            default:
                let removed = set.remove(key)
                #expect(removed == (oracle.remove(key) != nil))
            }
        }
        #expect(set.count == oracle.count)
        for key in 0..<5_000 as Range<UInt64> {
            #expect(set.contains(key) == oracle.contains(key), "key \(key)")
        }
    }

    @Test func zeroIsAFingerprintLikeAnyOther() {
        var set = FingerprintSet()
        #expect(!set.contains(0))
        let inserted = set.insert(0)
        #expect(inserted)
        #expect(set.contains(0))
        let removed = set.remove(0)
        #expect(removed)
        #expect(!set.contains(0))
    }

    @Test func growsAndKeepsEveryMember() {
        var set = FingerprintSet(minimumCapacity: 1)
        for index in 0..<100_000 { set.insert(FingerprintSet.fingerprint("user\(index)@example.com")) }
        #expect(set.count == 100_000)
        #expect(set.memoryBytes <= 100_000 * 8 * 2 * 2)
        for index in 0..<100_000 { #expect(set.contains(FingerprintSet.fingerprint("user\(index)@example.com"))) }
        #expect(!set.contains(FingerprintSet.fingerprint("user100000@example.com")))
    }

    @Test func fingerprintsDifferForSimilarAddresses() {
        let addresses = ["a@example.com", "b@example.com", "a@example.co", "a@example.comm", "A@example.com"]
        #expect(Set(addresses.map(FingerprintSet.fingerprint)).count == addresses.count)
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
