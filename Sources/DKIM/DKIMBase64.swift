/// Base64 (RFC 4648 §4) as DKIM uses it for `b=`, `bh=` and `p=`: encoding with padding; decoding that skips
/// folding white space, since RFC 6376 §3.5 allows FWS anywhere inside those values.
enum DKIMBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() {
            table[Int(byte)] = UInt8(index)
        }
        return table
    }()

    static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        guard !input.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: (input.count + 2) / 3 * 4) { output in
            write(input, to: UnsafeMutableRawPointer(output.baseAddress!))
            return output.count
        }
    }

    /// Writes the encoding of `input`, padded: (`input.count` + 2) / 3 × 4 octets.
    static func write(_ input: [UInt8], to output: UnsafeMutableRawPointer) {
        let output = output.assumingMemoryBound(to: UInt8.self)
        alphabet.withUnsafeBufferPointer { alphabet in
            input.withUnsafeBufferPointer { input in
                var index = 0
                var cursor = 0
                func put(_ sextet: UInt32) {
                    output[cursor] = alphabet[Int(sextet & 0x3F)]
                    cursor += 1
                }
                while index + 3 <= input.count {
                    let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                    put(chunk >> 18)
                    put(chunk >> 12)
                    put(chunk >> 6)
                    put(chunk)
                    index += 3
                }
                let remaining = input.count - index
                guard remaining > 0 else { return }
                var chunk = UInt32(input[index]) << 16
                if remaining == 2 {
                    chunk |= UInt32(input[index + 1]) << 8
                }
                put(chunk >> 18)
                put(chunk >> 12)
                if remaining == 2 {
                    put(chunk >> 6)
                } else {
                    output[cursor] = UInt8(ascii: "=")
                    cursor += 1
                }
                output[cursor] = UInt8(ascii: "=")
            }
        }
    }

    /// Decodes, ignoring SP, HTAB, CR and LF. Returns nil on any other character outside the alphabet, on
    /// misplaced padding or on a length that is not a whole number of quanta.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count / 4 * 3)
        var quantum: UInt32 = 0
        var count = 0
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0D, 0x0A:
                continue
            case UInt8(ascii: "="):
                padding += 1
                quantum <<= 6
                count += 1
            default:
                let value = decodeTable[Int(byte)]
                guard value != 0xFF, padding == 0 else { return nil }
                quantum = quantum << 6 | UInt32(value)
                count += 1
            }
            if count == 4 {
                guard padding <= 2 else { return nil }
                output.append(UInt8(quantum >> 16 & 0xFF))
                if padding < 2 { output.append(UInt8(quantum >> 8 & 0xFF)) }
                if padding < 1 { output.append(UInt8(quantum & 0xFF)) }
                quantum = 0
                count = 0
                if padding > 0 { padding = 3 }  // nothing may follow a padded quantum
            }
        }
        guard count == 0 else { return nil }
        return output
    }
}
