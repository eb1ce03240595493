import Foundation

/// The date-time of RFC 5322 §3.3, e.g. "Wed, 25 Nov 2026 15:18:01 +0000"; no DateFormatter, no locale.
public enum RFC5322Date {
    private static let dayNames = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    // RFC 5322 §3.3:
    //   date-time = [ day-of-week "," ] date time [CFWS]
    //   date      = day month year          ; day = 1*2DIGIT
    //   time      = time-of-day zone        ; zone = FWS ( "+" / "-" ) 4DIGIT
    /// `timeZoneOffsetSeconds` east of UTC; truncated to whole minutes and clamped to ±99:59.
    public static func format(_ date: Date, timeZoneOffsetSeconds: Int = 0) -> String {
        let offsetMinutes = max(-5999, min(5999, timeZoneOffsetSeconds / 60))
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + offsetMinutes * 60
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let weekday = dayNames[days.floorModulo(7)]
        let sign = offsetMinutes < 0 ? "-" : "+"
        let zone = abs(offsetMinutes / 60) * 100 + abs(offsetMinutes % 60)
        return "\(weekday), \(day) \(monthNames[month - 1]) \(year) "
            + "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay / 60 % 60)):\(twoDigits(secondOfDay % 60)) "
            + sign + fourDigits(zone)
    }

    /// Days since 1970-01-01 to the proleptic Gregorian (year, month, day); H. Hinnant's civil_from_days.
    public static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    private static func fourDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}

extension Int {
    fileprivate func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    fileprivate func floorModulo(_ divisor: Int) -> Int {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
