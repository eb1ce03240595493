extension ConfigReader {
    /// A duration: a string with a unit — `250ms`, `30s`, `5m`, `2h`, `5d` — or an integer number of seconds.
    /// It must be greater than zero.
    mutating func duration(_ key: String, default fallback: Duration, allowZero: Bool = false) throws(ConfigError)
        -> Duration
    {
        guard let value = value(key) else { return fallback }
        let expected = "a duration such as \"30s\" or an integer number of seconds"
        let milliseconds: Int64
        switch value {
        case .integer(let seconds):
            try check(key, Int(seconds), minimum: allowZero ? 0 : 1)
            guard let scaled = Self.multiply(seconds, 1000) else {
                throw error(key, "duration \(seconds) is too large")
            }
            milliseconds = scaled
        case .string(let text):
            guard let (number, unit) = Self.split(text) else {
                throw error(key, "expected \(expected), got \"\(text)\"")
            }
            guard !unit.isEmpty else {
                throw error(key, "missing unit in \"\(text)\" (use ms, s, m, h or d, or an integer number of seconds)")
            }
            let factors: [String: Int64] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
            guard let factor = factors[unit] else {
                throw error(key, "unknown unit \"\(unit)\" in \"\(text)\" (use ms, s, m, h or d)")
            }
            guard let scaled = Self.multiply(number, factor) else {
                throw error(key, "duration \"\(text)\" is too large")
            }
            guard scaled > 0 || (allowZero && scaled == 0) else {
                throw error(key, "must be greater than 0, got \"\(text)\"")
            }
            milliseconds = scaled
        default:
            throw typeError(key, expected: expected, got: value)
        }
        return .milliseconds(milliseconds)
    }

    /// A size in bytes: an integer, or a string with a unit — `64KB`, `50MiB`, `1GB` (KB, MB, GB are powers of
    /// 1000; KiB, MiB, GiB powers of 1024; B is bytes). It must be greater than zero.
    mutating func size(_ key: String, default fallback: Int) throws(ConfigError) -> Int {
        guard let value = value(key) else { return fallback }
        let expected = "a size such as \"50MiB\" or an integer number of bytes"
        switch value {
        case .integer(let bytes):
            try check(key, Int(bytes), minimum: 1)
            return Int(bytes)
        case .string(let text):
            guard let (number, unit) = Self.split(text) else {
                throw error(key, "expected \(expected), got \"\(text)\"")
            }
            let factors: [String: Int64] = [
                "": 1, "B": 1, "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000,
                "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
            ]
            guard let factor = factors[unit] else {
                throw error(key, "unknown unit \"\(unit)\" in \"\(text)\" (use B, KB, MB, GB, KiB, MiB or GiB)")
            }
            guard let bytes = Self.multiply(number, factor) else { throw error(key, "size \"\(text)\" is too large") }
            guard bytes > 0 else { throw error(key, "must be greater than 0, got \"\(text)\"") }
            return Int(bytes)
        default:
            throw typeError(key, expected: expected, got: value)
        }
    }

    /// One of the raw values of `Choice`, such as a log level or a listener mode.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String,
        default fallback: Choice
    ) throws(ConfigError) -> Choice where Choice.RawValue == String {
        let text = try string(key, default: fallback.rawValue)
        guard let choice = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw error(key, "expected one of \(allowed), got \"\(text)\"")
        }
        return choice
    }

    /// `"50MiB"` → (50, "MiB"): decimal digits, then an optional unit of letters.
    private static func split(_ text: String) -> (Int64, String)? {
        let digits = text.prefix { ("0"..."9").contains($0) }
        let unit = text.dropFirst(digits.count)
        guard !digits.isEmpty, unit.allSatisfy({ $0.isLetter && $0.isASCII }), let number = Int64(digits) else {
            return nil
        }
        return (number, String(unit))
    }

    private static func multiply(_ lhs: Int64, _ rhs: Int64) -> Int64? {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        return overflow ? nil : product
    }
}
