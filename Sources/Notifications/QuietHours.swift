import Foundation

/// The hours of the day, on the clinic's clock, when reminders may go out (08:00–21:00 by default):
/// nobody is woken by a reminder in Vladivostok because the server keeps Moscow time.
public struct QuietHours: Sendable, Equatable {
    /// The first hour allowed and the hour sending stops (`8` and `21`: from 08:00 to 20:59).
    public let start: Int
    public let end: Int

    public init(start: Int = 8, end: Int = 21) {
        precondition(0 <= start && start < end && end <= 24)
        self.start = start
        self.end = end
    }

    /// `08-21` as a setting writes it; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let start = parts[0], let end = parts[1], 0 <= start, start < end, end <= 24 else { return nil }
        self.init(start: start, end: end)
    }

    /// Whether `date` falls inside the allowed hours in `zone`.
    public func allows(_ date: Date, in zone: TimeZone) -> Bool {
        let hour = Self.calendar(zone).component(.hour, from: date)
        return hour >= start && hour < end
    }

    /// `date` itself if it is allowed, otherwise the next moment that is (the allowed hours' next start).
    public func next(from date: Date, in zone: TimeZone) -> Date {
        if allows(date, in: zone) { return date }
        let calendar = Self.calendar(zone)
        let today = calendar.date(bySettingHour: start, minute: 0, second: 0, of: date)!
        return today > date ? today : calendar.date(byAdding: .day, value: 1, to: today)!
    }

    /// When the reminder of a visit at `visit` goes out: at the start of the allowed hours the day
    /// before (the clinic's calendar), or — booked later than that — as soon as the hours of that day
    /// allow; nil once the day before has no allowed hour left (the ticket itself says enough).
    public func reminder(for visit: Date, in zone: TimeZone, now: Date) -> Date? {
        let calendar = Self.calendar(zone)
        let dayBefore = calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: visit))!
        let planned = calendar.date(bySettingHour: start, minute: 0, second: 0, of: dayBefore)!
        let due = next(from: max(planned, now), in: zone)
        return calendar.isDate(due, inSameDayAs: dayBefore) ? due : nil
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
