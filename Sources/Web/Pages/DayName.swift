import Foundation
import Templating

/// A day as a patient says it: «сегодня, 1 декабря», «завтра, 2 декабря», «четверг, 3 декабря» — on
/// the clinic's calendar, against the registry's clock.
public enum DayName {
    private static let weekday = try! RussianDateFormat("EEEE, d MMMM")
    private static let dayOfMonth = try! RussianDateFormat("d MMMM")

    /// The name of the day holding `date` in `zone`, as of `now`.
    public static func of(_ date: Date, in zone: TimeZone, now: Date) -> String {
        switch CivilDay.between(now, date, in: zone) {
        case 0: "сегодня, " + dayOfMonth.string(from: date, in: zone)
        case 1: "завтра, " + dayOfMonth.string(from: date, in: zone)
        default: weekday.string(from: date, in: zone)
        }
    }

    /// A protocol day (`YYYY-MM-DD`) as people type and read it: `DD.MM.YYYY`.
    public static func typed(_ day: String) -> String {
        let parts = day.split(separator: "-")
        return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : day
    }

    /// The same, starting with a capital letter (a heading, a list entry).
    public static func capitalized(_ date: Date, in zone: TimeZone, now: Date) -> String {
        let name = of(date, in: zone, now: now)
        return name.prefix(1).uppercased() + name.dropFirst()
    }
}

/// Whole days between two instants on a zone's calendar.
public enum CivilDay {
    public static func between(_ from: Date, _ to: Date, in zone: TimeZone) -> Int {
        func day(_ date: Date) -> Int { Int(((date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))) / 86_400).rounded(.down)) }
        return day(to) - day(from)
    }
}
