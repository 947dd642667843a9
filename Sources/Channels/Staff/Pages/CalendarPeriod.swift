import Web

/// The periods staff pages cover, as days (`YYYY-MM-DD`, both ends included).
enum CalendarPeriod {
    /// Seven days from `day`.
    static func week(from day: String) -> (String, String)? {
        TypedDay.adding(6, to: day).map { (day, $0) }
    }

    /// The calendar month `day` falls in.
    static func month(of day: String) -> (String, String)? {
        let first = String(day.prefix(8)) + "01"
        guard let next = TypedDay.adding(31, to: first).map({ String($0.prefix(8)) + "01" }), let last = TypedDay.adding(-1, to: next) else { return nil }
        return (first, last)
    }
}
