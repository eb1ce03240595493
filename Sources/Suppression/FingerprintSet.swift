/// A set of 64-bit fingerprints in one flat array (open addressing, linear probing, backward-shift deletion),
/// the in-memory index of the suppression list: about 10–20 bytes per address instead of a `Set<String>`'s
/// 60 and more, so tens of millions of addresses fit. A fingerprint match is confirmed against the database
/// before it counts, so a collision (about n / 2^64 per lookup) can never suppress the wrong address.
public struct FingerprintSet: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    /// 0 marks an empty slot, so the fingerprint 0 is kept here.
    private var hasZero = false
    public private(set) var count = 0

    public init(minimumCapacity: Int = 1024) {
        var capacity = 16
        while capacity * 3 / 4 < minimumCapacity { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
    }

    /// Bytes held by the table.
    public var memoryBytes: Int { slots.count * MemoryLayout<UInt64>.stride }

    public func contains(_ fingerprint: UInt64) -> Bool {
        let key = fingerprint
        if key == 0 { return hasZero }
        var index = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[index]
            if slot == key { return true }
            if slot == 0 { return false }
            index = (index + 1) & mask
        }
    }

    /// Adds a fingerprint; false when it was already there.
    @discardableResult
    public mutating func insert(_ fingerprint: UInt64) -> Bool {
        let key = fingerprint
        if key == 0 {
            defer { hasZero = true }
            if !hasZero { count += 1 }
            return !hasZero
        }
        if (count + 1) * 4 > slots.count * 3 { grow() }
        var index = Int(truncatingIfNeeded: key) & mask
        while true {
            let slot = slots[index]
            if slot == key { return false }
            if slot == 0 {
                slots[index] = key
                count += 1
                return true
            }
            index = (index + 1) & mask
        }
    }

    /// Removes a fingerprint; false when it was not there.
    @discardableResult
    public mutating func remove(_ fingerprint: UInt64) -> Bool {
        let key = fingerprint
        if key == 0 {
            defer { hasZero = false }
            if hasZero { count -= 1 }
            return hasZero
        }
        var index = Int(truncatingIfNeeded: key) & mask
        while slots[index] != key {
            if slots[index] == 0 { return false }
            index = (index + 1) & mask
        }
        // Backward-shift deletion: move later members of the probe run into the hole, so lookups never need
        // tombstones.
        var hole = index
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: slots[next]) & mask
            // Move the entry when its home is not in the cyclic range (hole, next].
            let distanceToNext = (next - home) & mask
            let distanceToHole = (next - hole) & mask
            if distanceToNext >= distanceToHole {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        count -= 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        for key in old where key != 0 {
            var index = Int(truncatingIfNeeded: key) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = key
        }
    }

    /// A 64-bit fingerprint of a normalised address: FNV-1a over the UTF-8 bytes, then the SplitMix64
    /// finaliser so that the low bits, which pick the slot, depend on every byte.
    public static func fingerprint(_ text: String) -> UInt64 {
        var hasher = Hasher()
        for byte in text.utf8 { hasher.combine(byte) }
        return hasher.finish()
    }

    /// The fingerprint computed byte by byte.
    public struct Hasher {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325

        public init() {}

        public mutating func combine(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }

        public func finish() -> UInt64 {
            var hash = self.hash
            hash ^= hash >> 30
            hash &*= 0xbf58_476d_1ce4_e5b9
            hash ^= hash >> 27
            hash &*= 0x94d0_49bb_1331_11eb
            hash ^= hash >> 31
            return hash
        }
    }
}
