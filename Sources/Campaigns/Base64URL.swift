/// Base64url without padding (RFC 4648 §5, padding omitted as §3.2 allows), strict on decode: only the
/// 64 characters of the URL-safe alphabet, no length that leaves 6 bits dangling, and zero unused bits in
/// the last character (§3.5: canonical encoding), so that every byte string has exactly one text form.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Byte → 6-bit value, 0xFF for bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = UInt8(index) }
        return table
    }()

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        encode(bytes, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` to `output`.
    static func encode(_ bytes: [UInt8], into output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { encode($0, into: &output) }
    }

    /// Appends the encoding of `bytes` to `output`.
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        let length = (bytes.count * 4 + 2) / 3
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { buffer in
            alphabet.withUnsafeBufferPointer { alphabet in
                var index = 0
                var position = 0
                while index + 3 <= bytes.count {
                    let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                    buffer[position] = alphabet[Int(group >> 18)]
                    buffer[position + 1] = alphabet[Int(group >> 12 & 63)]
                    buffer[position + 2] = alphabet[Int(group >> 6 & 63)]
                    buffer[position + 3] = alphabet[Int(group & 63)]
                    index += 3
                    position += 4
                }
                // One byte left: 2 characters; two: 3 (no padding).
                if index < bytes.count {
                    let second = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
                    let group = UInt32(bytes[index]) << 16 | second << 8
                    buffer[position] = alphabet[Int(group >> 18)]
                    buffer[position + 1] = alphabet[Int(group >> 12 & 63)]
                    position += 2
                    if index + 1 < bytes.count {
                        buffer[position] = alphabet[Int(group >> 6 & 63)]
                        position += 1
                    }
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<position]))
            }
        }
    }

    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for character in text {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
            buffer &= (1 << UInt32(bits)) - 1
        }
        // The 2 or 4 bits left over must be zero, or two texts would decode to the same bytes.
        guard buffer == 0 else { return nil }
        return output
    }
}
