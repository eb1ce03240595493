import Foundation
import NIOConcurrencyHelpers

/// The identity of a spooled message: 80 bits written as 16 Crockford base-32 characters.
///
/// The first 40 bits count milliseconds since 2024-01-01T00:00:00Z, the last 40 are random, so ids sort
/// by arrival time and stay unique across restarts. Within one process `generate()` is strictly
/// monotonic: a second id in the same millisecond increments the random part.
public struct QueueID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The top 64 of the 80 bits: 40 bits of milliseconds, then the first 24 random bits.
    let high: UInt64
    /// The last 16 random bits.
    let low: UInt16

    /// Unix time of 2024-01-01T00:00:00Z in milliseconds.
    static let epochMilliseconds: Int64 = 1_704_067_200_000
    static let randomMask: UInt64 = (1 << 40) - 1
    static let timeMask: UInt64 = (1 << 40) - 1
    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let last = NIOLockedValueBox<(milliseconds: UInt64, random: UInt64, generator: SeededRandom)>(
        (0, 0, SeededRandom()))

    init(high: UInt64, low: UInt16) {
        self.high = high
        self.low = low
    }

    init(milliseconds: UInt64, random: UInt64) {
        let time = milliseconds & Self.timeMask
        let random = random & Self.randomMask
        self.high = (time << 24) | (random >> 16)
        self.low = UInt16(truncatingIfNeeded: random)
    }

    /// A new id for a message arriving now.
    public static func generate() -> QueueID {
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) - epochMilliseconds
        let milliseconds = UInt64(max(now, 0))
        // Random bits only for a new millisecond: ids within one increment. The generator is seeded once
        // from the system's, so that ids stay unique across restarts without a system call per draw.
        let next = last.withLockedValue { last -> (UInt64, UInt64) in
            var next = (milliseconds: milliseconds, random: last.random + 1)
            if milliseconds <= last.milliseconds, next.random <= randomMask {
                next.milliseconds = last.milliseconds
            } else {
                next = (max(milliseconds, last.milliseconds + 1), last.generator.next() & randomMask)
            }
            last.milliseconds = next.milliseconds
            last.random = next.random
            return next
        }
        return QueueID(milliseconds: next.0, random: next.1)
    }

    /// Parses the 16-character form, case-insensitively, reading O as 0 and I, L as 1 (Crockford).
    public init?(_ text: String) {
        var high: UInt64 = 0
        var low: UInt16 = 0
        var count = 0
        for byte in text.utf8 {
            guard count < 16, let digit = Self.digit(byte) else { return nil }
            high = (high << 5) | (UInt64(low) >> 11)
            low = (low << 5) | UInt16(digit)
            count += 1
        }
        guard count == 16 else { return nil }
        self.init(high: high, low: low)
    }

    public var description: String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            bytes[index] = Self.alphabet[Int(fiveBits(at: 75 - 5 * index))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// When the id was generated, to the millisecond.
    public var timestamp: Date {
        let milliseconds = Int64(high >> 24) + Self.epochMilliseconds
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    public static func < (lhs: QueueID, rhs: QueueID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = QueueID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid queue id \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Bits `shift ..< shift + 5` of the 80-bit value.
    private func fiveBits(at shift: Int) -> UInt64 {
        if shift >= 16 {
            return (high >> UInt64(shift - 16)) & 31
        }
        return ((high << UInt64(16 - shift)) | (UInt64(low) >> UInt64(shift))) & 31
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0"), UInt8(ascii: "o"), UInt8(ascii: "O"): return 0
        case UInt8(ascii: "1"), UInt8(ascii: "i"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"): return 1
        case UInt8(ascii: "2")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        default:
            let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
            guard let index = alphabet.firstIndex(of: upper), index >= 10 else { return nil }
            return UInt8(index)
        }
    }
}
