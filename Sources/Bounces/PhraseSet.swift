/// A fixed set of lower-case phrases in groups, matched case-insensitively against UTF-8 text in one pass:
/// every position is looked up by its first two bytes, so the cost grows with the text, not with the number
/// of phrases. Used for the reason tables, which have hundreds of phrases and run on every diagnostic.
struct PhraseSet: Sendable {
    /// All phrases, back to back; phrase `i` is `bytes[start[i]..<start[i + 1]]` and belongs to `group[i]`.
    private let bytes: [UInt8]
    private let start: [Int32]
    private let group: [Int32]
    /// Phrase indices by their first two bytes: `bucket[bucketStart[key]..<bucketStart[key + 1]]`.
    private let bucketStart: [Int32]
    private let bucket: [Int32]
    /// One bit per two-byte key that starts some phrase: an 8 KiB filter that stays in the L1 cache, so most
    /// positions cost no lookup in the 256 KiB bucket table.
    private let keyBits: [UInt64]
    /// Phrases of a single byte, with their group (rare; checked with a plain scan).
    private let singleBytes: [(UInt8, Int)]

    /// `groups[i]` are the phrases of group `i`; a lower group number wins when several match.
    init(_ groups: [[String]]) {
        var phrases: [([UInt8], Int)] = []
        var singleBytes: [(UInt8, Int)] = []
        for (group, members) in groups.enumerated() {
            for phrase in members where !phrase.isEmpty {
                let bytes = Array(phrase.utf8)
                assert(!bytes.contains { $0 >= 0x41 && $0 <= 0x5A }, "PhraseSet phrases are lower case: \(phrase)")
                if bytes.count == 1 {
                    singleBytes.append((bytes[0], group))
                } else {
                    phrases.append((bytes, group))
                }
            }
        }
        var counts = [Int32](repeating: 0, count: 65537)
        for (phrase, _) in phrases { counts[Self.key(phrase[0], phrase[1]) + 1] += 1 }
        for index in 1..<counts.count { counts[index] += counts[index - 1] }
        var fill = counts
        var bucket = [Int32](repeating: 0, count: phrases.count)
        for (index, (phrase, _)) in phrases.enumerated() {
            let key = Self.key(phrase[0], phrase[1])
            bucket[Int(fill[key])] = Int32(index)
            fill[key] += 1
        }
        self.bytes = phrases.flatMap(\.0)
        var start: [Int32] = [0]
        for (phrase, _) in phrases { start.append(start.last! + Int32(phrase.count)) }
        self.start = start
        self.group = phrases.map { Int32($0.1) }
        self.bucketStart = counts
        self.bucket = bucket
        var keyBits = [UInt64](repeating: 0, count: 1024)
        for (phrase, _) in phrases {
            let key = Self.key(phrase[0], phrase[1])
            keyBits[key >> 6] |= 1 << UInt64(key & 63)
        }
        self.keyBits = keyBits
        self.singleBytes = singleBytes
    }

    private static func key(_ first: UInt8, _ second: UInt8) -> Int { Int(first) << 8 | Int(second) }

    /// The lowest group with a phrase in `text` (UTF-8, ASCII letters in any case), if any.
    func firstGroup(in text: some Collection<UInt8>) -> Int? {
        if let found = text.withContiguousStorageIfAvailable({ firstGroup(buffer: $0) }) { return found }
        return Array(text).withUnsafeBufferPointer { firstGroup(buffer: $0) }
    }

    /// Whether any phrase occurs in `text` (UTF-8, ASCII letters in any case).
    func matches(_ text: some Collection<UInt8>) -> Bool { firstGroup(in: text) != nil }

    private func firstGroup(buffer text: UnsafeBufferPointer<UInt8>) -> Int? {
        var best = Int32.max
        for (byte, group) in singleBytes
        where group < best && text.contains(where: { PhraseSearch.lowered($0) == byte }) {
            best = Int32(group)
        }
        let count = text.count
        guard count >= 2 else { return best == .max ? nil : Int(best) }
        bytes.withUnsafeBufferPointer { bytes in
            start.withUnsafeBufferPointer { start in
                group.withUnsafeBufferPointer { group in
                    bucketStart.withUnsafeBufferPointer { bucketStart in
                        bucket.withUnsafeBufferPointer { bucket in
                            keyBits.withUnsafeBufferPointer { keyBits in
                                var next = PhraseSearch.lowered(text[0])
                                for position in 0..<(count - 1) {
                                    let current = next
                                    next = PhraseSearch.lowered(text[position + 1])
                                    let key = Self.key(current, next)
                                    guard keyBits[key >> 6] & (1 << UInt64(key & 63)) != 0 else { continue }
                                    let first = Int(bucketStart[key])
                                    let last = Int(bucketStart[key + 1])
                                    guard first < last else { continue }
                                    for slot in first..<last {
                                        let index = Int(bucket[slot])
                                        guard group[index] < best else { continue }
                                        let phraseStart = Int(start[index])
                                        let length = Int(start[index + 1]) - phraseStart
                                        guard position + length <= count else { continue }
                                        var matched = 2
                                        while matched < length
                                            && PhraseSearch.lowered(text[position + matched])
                                                == bytes[phraseStart + matched]
                                        {
                                            matched += 1
                                        }
                                        if matched == length { best = group[index] }
                                    }
                                    if best == 0 { return }
                                }
                            }
                        }
                    }
                }
            }
        }
        return best == .max ? nil : Int(best)
    }
}
