/// Scans over raw octets, sixteen at a time, for the DATA-phase codecs.
enum OctetScan {
    /// How many of `count` octets at `pointer` are CR, sixteen at a time (SIMD compares; per-lane counts are
    /// summed before they can wrap).
    static func crCount(_ pointer: UnsafeRawPointer, count: Int) -> Int {
        let crs = SIMD16<UInt8>(repeating: ASCII.cr)
        let zeros = SIMD16<UInt8>(repeating: 0)
        let ones = SIMD16<UInt8>(repeating: 1)
        var total = 0
        var offset = 0
        while offset + 16 <= count {
            var lanes = zeros
            var rounds = 0
            while rounds < 255, offset + 16 <= count {
                let word = pointer.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
                lanes &+= zeros.replacing(with: ones, where: word .== crs)
                offset += 16
                rounds += 1
            }
            total += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while offset < count {
            if pointer.load(fromByteOffset: offset, as: UInt8.self) == ASCII.cr { total += 1 }
            offset += 1
        }
        return total
    }

    /// Whether any of `count` octets at `pointer` is above 127, sixteen at a time.
    static func containsHighBit(_ pointer: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        var union = SIMD16<UInt8>(repeating: 0)
        while offset + 16 <= count {
            union |= pointer.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
            offset += 16
        }
        if any(union .>= 0x80) { return true }
        while offset + 8 <= count {
            if pointer.loadUnaligned(fromByteOffset: offset, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return true
            }
            offset += 8
        }
        while offset < count {
            if pointer.load(fromByteOffset: offset, as: UInt8.self) >= 0x80 { return true }
            offset += 1
        }
        return false
    }
}
