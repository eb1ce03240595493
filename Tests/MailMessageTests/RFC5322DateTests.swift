import Foundation
import MailMessage
import Testing

@Suite struct RFC5322DateTests {
    @Test(
        arguments: [
            (0.0, 0, "Thu, 1 Jan 1970 00:00:00 +0000"),
            (1_795_619_881, 0, "Wed, 25 Nov 2026 15:18:01 +0000"),
            (1_795_619_881.999, 0, "Wed, 25 Nov 2026 15:18:01 +0000"),
            (1_795_619_881, 3600, "Wed, 25 Nov 2026 16:18:01 +0100"),
            (1_795_619_881, -21_600, "Wed, 25 Nov 2026 09:18:01 -0600"),
            (1_795_619_881, 19_800, "Wed, 25 Nov 2026 20:48:01 +0530"),
            (1_795_619_881, -34_200, "Wed, 25 Nov 2026 05:48:01 -0930"),
            (1_795_619_881, 36_000, "Thu, 26 Nov 2026 01:18:01 +1000"),
            (951_782_400, 0, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (4_102_444_799, 0, "Thu, 31 Dec 2099 23:59:59 +0000"),
            (4_107_542_399, 0, "Sun, 28 Feb 2100 23:59:59 +0000"),
            (-1, 0, "Wed, 31 Dec 1969 23:59:59 +0000"),
            (-86_400 * 365, 0, "Wed, 1 Jan 1969 00:00:00 +0000"),
            (1_709_164_800, 0, "Thu, 29 Feb 2024 00:00:00 +0000"),
            // RFC 5322 Appendix A.1.1: Fri, 21 Nov 1997 09:55:06 -0600
            (880_127_706, -21_600, "Fri, 21 Nov 1997 09:55:06 -0600"),
            (0, -59, "Thu, 1 Jan 1970 00:00:00 +0000"),
            (0, 1_000_000, "Mon, 5 Jan 1970 03:59:00 +9959"),
        ] as [(Double, Int, String)])
    func formats(seconds: Double, offset: Int, expected: String) {
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: seconds), timeZoneOffsetSeconds: offset) == expected)
    }

    @Test func matchesFoundationCalendarOverManyDays() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        for day in stride(from: -40_000, through: 60_000, by: 97) {
            let date = Date(timeIntervalSince1970: Double(day) * 86_400 + 45_296)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            let expected =
                "\(days[parts.weekday! - 1]), \(parts.day!) \(months[parts.month! - 1]) \(parts.year!) 12:34:56 +0000"
            #expect(RFC5322Date.format(date) == expected)
        }
    }
}
