import Foundation
import Persistence
import Web

/// What a statistics page shows: a period (a day, a week, a month or a range of days), by the day
/// bookings were made or by the day of the visit, for one clinic or all the reader may see.
package struct StatisticsChoice: Equatable, Sendable {
    package enum Period: String, CaseIterable, Sendable { case day, week, month, range }

    package let period: Period
    /// `YYYY-MM-DD`, both days included.
    package let from: String
    package let to: String
    package let basis: StatisticCount.Basis
    package let clinic: String?

    /// The address's query of this choice (`StaffRoute.statistics`).
    var query: [String: String?] {
        ["period": period.rawValue, "from": from, "to": period == .range ? to : nil, "basis": basis.rawValue, "clinic": clinic]
    }

    /// Why an asked period cannot be shown, in Russian.
    enum Problem: Error, Equatable {
        case badDay(String)
        case reversed
        case tooLong

        var message: String {
            switch self {
            case .badDay(let example): "Укажите дни периода в виде ДД.ММ.ГГГГ, например \(example)."
            case .reversed: "Начало периода позже его конца: поменяйте даты местами."
            case .tooLong: "Период длиннее года: выберите не больше 366 дней."
            }
        }
    }

    /// The choice an address asks for (`today` the reader's day): a month of made bookings by default.
    static func parse(period typedPeriod: String?, from typedFrom: String?, to typedTo: String?, basis typedBasis: String?, clinic: String?, today: String) -> Result<StatisticsChoice, Problem> {
        let period = typedPeriod.flatMap(Period.init(rawValue:)) ?? .month
        let basis: StatisticCount.Basis = typedBasis == "visit" ? .visit : .made
        let clinic = clinic.flatMap { $0.isEmpty ? nil : String($0.prefix(16)) }
        guard let start = typedFrom.map(TypedDay.parse) ?? today else { return .failure(.badDay(DayName.typed(today))) }
        let from: String, to: String
        switch period {
        case .day: (from, to) = (start, start)
        case .week:
            from = TypedDay.monday(of: start) ?? start
            to = TypedDay.adding(6, to: from) ?? from
        case .month: (from, to) = CalendarPeriod.month(of: start) ?? (start, start)
        case .range:
            guard let end = typedTo.map(TypedDay.parse) ?? start else { return .failure(.badDay(DayName.typed(today))) }
            guard start <= end else { return .failure(.reversed) }
            guard let length = TypedDay.distance(from: start, to: end), length < 366 else { return .failure(.tooLong) }
            (from, to) = (start, end)
        }
        return .success(StatisticsChoice(period: period, from: from, to: to, basis: basis, clinic: clinic))
    }
}
