import CPetrelCRC

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven slicing-by-8.
enum CRC32C {
    /// Eight 256-entry tables, one after the other.
    static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var crc = UInt32(index)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            table[index] = crc
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = table[(slice - 1) * 256 + index]
                table[slice * 256 + index] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// Whether the CPU computes CRC-32C itself (SSE 4.2), about ten times
    /// faster than the tables.
    static let hardware = petrel_crc32c_hardware_available() == 1

    /// The checksum of `bytes`, continuing from `crc` (0 to start).
    static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return crc }
        if hardware { return petrel_crc32c_hardware(crc, start, bytes.count) }
        return software(bytes, continuing: crc)
    }

    /// Slicing-by-8 over the tables; also the reference the tests compare
    /// the hardware path with.
    static func software(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard var pointer = bytes.baseAddress, !bytes.isEmpty else { return crc }
        var remaining = bytes.count
        var value = ~crc
        table.withUnsafeBufferPointer { table in
            while remaining >= 8 {
                let first = pointer.loadUnaligned(as: UInt32.self).littleEndian ^ value
                let second = pointer.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
                value =
                    table[7 * 256 + Int(first & 0xFF)] ^ table[6 * 256 + Int((first >> 8) & 0xFF)]
                    ^ table[5 * 256 + Int((first >> 16) & 0xFF)] ^ table[4 * 256 + Int(first >> 24)]
                    ^ table[3 * 256 + Int(second & 0xFF)] ^ table[2 * 256 + Int((second >> 8) & 0xFF)]
                    ^ table[256 + Int((second >> 16) & 0xFF)] ^ table[Int(second >> 24)]
                pointer += 8
                remaining -= 8
            }
            while remaining > 0 {
                let byte = pointer.load(as: UInt8.self)
                value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8)
                pointer += 1
                remaining -= 1
            }
        }
        return ~value
    }

    static func checksum(_ bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }
}
