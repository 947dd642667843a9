import CivilTime
import Foundation

/// A day typed into a staff form or an address: `YYYY-MM-DD` (what a date field sends) or
/// `DD.MM.YYYY` (what people type), checked against the calendar.
public enum TypedDay {
    /// The day as `YYYY-MM-DD`; nil when it is not a real day of the years 1900–2199.
    public static func parse(_ typed: String?) -> String? {
        guard let text = typed?.trimmingCharacters(in: .whitespaces), text.count == 10 else { return nil }
        let iso = text.contains(".") ? DayName.iso(fromTyped: text) : text
        guard let date = CivilDate(isoDay: iso), (1900...2199).contains(date.year) else { return nil }
        return iso
    }

    /// Whole days from `day` to `other` (both `YYYY-MM-DD`).
    public static func distance(from day: String, to other: String) -> Int? {
        guard let first = civil(day), let second = civil(other) else { return nil }
        return second.daysSinceEpoch - first.daysSinceEpoch
    }

    /// The day `offset` days after `day`.
    public static func adding(_ offset: Int, to day: String) -> String? {
        CivilDate.day(day, plus: offset)
    }

    static func civil(_ day: String) -> CivilDate? {
        CivilDate(isoDay: day)
    }
}

extension DayName {
    /// `DD.MM.YYYY` as a protocol day (`YYYY-MM-DD`); the text as it is when it has another shape.
    static func iso(fromTyped text: String) -> String {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 ? "\(parts[2])-\(parts[1])-\(parts[0])" : text
    }
}

extension TypedDay {
    /// 0 for Monday … 6 for Sunday.
    public static func weekday(_ day: String) -> Int? {
        civil(day)?.weekday
    }

    /// The Monday of `day`'s week.
    public static func monday(of day: String) -> String? {
        guard let weekday = weekday(day) else { return nil }
        return adding(-weekday, to: day)
    }
}
