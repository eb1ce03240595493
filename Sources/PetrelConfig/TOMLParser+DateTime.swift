extension TOMLParser {
    /// full-date = date-fullyear "-" date-month "-" date-mday (RFC 3339 §5.6)
    static func isFullDate(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 10, scalars[4] == "-", scalars[7] == "-",
            let year = number(scalars[0..<4]), let month = number(scalars[5..<7]), let day = number(scalars[8..<10]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// Whether the token looks like a time of day (`07:32:00`) rather than a number.
    static func isTimeStart(_ scalars: [Unicode.Scalar]) -> Bool {
        scalars.count >= 3 && isDigit(scalars[0]) && isDigit(scalars[1]) && scalars[2] == ":"
    }

    /// offset-date-time / local-date-time / local-date / local-time (TOML v1.0.0, RFC 3339 with a space or "T").
    static func dateTime(_ text: String) -> TOMLValue? {
        let scalars = Array(text.unicodeScalars)
        if isTimeStart(scalars) {
            return partialTimeLength(scalars[...]) == scalars.count ? .localTime(text) : nil
        }
        guard scalars.count >= 10, isFullDate(String(String.UnicodeScalarView(scalars[0..<10]))) else { return nil }
        if scalars.count == 10 { return .localDate(text) }
        guard ["T", "t", " "].contains(scalars[10]) else { return nil }
        let time = scalars[11...]
        guard let timeLength = partialTimeLength(time) else { return nil }
        let offset = time.dropFirst(timeLength)
        if offset.isEmpty { return .localDateTime(text) }
        if offset.count == 1 && (offset.first == "Z" || offset.first == "z") { return .offsetDateTime(text) }
        let sign = offset[offset.startIndex]
        guard offset.count == 6, sign == "+" || sign == "-", offset[offset.startIndex + 3] == ":",
            let hours = number(offset.dropFirst().prefix(2)), hours <= 23,
            let minutes = number(offset.suffix(2)), minutes <= 59
        else { return nil }
        return .offsetDateTime(text)
    }

    /// partial-time = time-hour ":" time-minute ":" time-second [ time-secfrac ]; returns its length.
    private static func partialTimeLength(_ scalars: ArraySlice<Unicode.Scalar>) -> Int? {
        let base = scalars.startIndex
        guard scalars.count >= 8, scalars[base + 2] == ":", scalars[base + 5] == ":",
            let hour = number(scalars[base..<base + 2]), hour <= 23,
            let minute = number(scalars[base + 3..<base + 5]), minute <= 59,
            let second = number(scalars[base + 6..<base + 8]), second <= 60
        else { return nil }
        var length = 8
        if scalars.count > 8 && scalars[base + 8] == "." {
            let fraction = scalars[(base + 9)...].prefix { isDigit($0) }
            guard !fraction.isEmpty else { return nil }
            length += 1 + fraction.count
        }
        return length
    }

    private static func number(_ digits: ArraySlice<Unicode.Scalar>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy({ isDigit($0) }) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
    }
}
