import Foundation

/// A birth date as a patient types it: «05.05.1980», «5.5.1980», «05 05 1980», «05-05-1980»,
/// «05051980», «1980-05-05», «5 мая 1980 г.», «05.05.80» (a two-digit year is the latest one not
/// after today).
public enum BirthDate {
    /// `YYYY-MM-DD` for a real calendar day between 1900 and `today` (also `YYYY-MM-DD`); nil otherwise.
    public static func parse(_ text: String, today: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        var groups = trimmed.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == " " || $0 == "/" || $0 == "," }).map(String.init)
        if let last = groups.last, ["г", "год", "года"].contains(last) { groups.removeLast() }
        var parts: (day: Int, month: Int, year: Int)?
        if groups.count == 3, let a = Int(groups[0]), let b = Int(groups[1]) ?? month(named: groups[1]), let c = Int(groups[2]) {
            parts = groups[0].count == 4 ? (c, b, a) : (a, b, groups[2].count == 2 ? year(twoDigits: c, day: a, month: b, today: today) : c)
        } else if groups.count == 1, trimmed.count == 8, trimmed.allSatisfy(\.isASCIIDigit) {
            parts = (Int(trimmed.prefix(2))!, Int(trimmed.dropFirst(2).prefix(2))!, Int(trimmed.suffix(4))!)
        }
        guard let (day, month, year) = parts, (1900...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
            return nil
        }
        let result = format(day: day, month: month, year: year)
        return result <= today ? result : nil
    }

    private static func format(day: Int, month: Int, year: Int) -> String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// The month of a Russian month name, full or cut short («сентября», «сент», «сен»; «мая», «май»).
    private static func month(named name: String) -> Int? {
        guard name.count >= 3 else { return nil }
        return monthStems.firstIndex { stem in stem.contains { name.hasPrefix($0) } }.map { $0 + 1 }
    }

    private static let monthStems = [["янв"], ["фев"], ["мар"], ["апр"], ["мая", "май"], ["июн"], ["июл"], ["авг"], ["сен"], ["окт"], ["ноя"], ["дек"]]

    /// The century of a two-digit year: this one if the date is not after today, else the last.
    private static func year(twoDigits: Int, day: Int, month: Int, today: String) -> Int {
        guard (0...99).contains(twoDigits), let current = Int(today.prefix(4)) else { return twoDigits }
        let thisCentury = current / 100 * 100 + twoDigits
        return format(day: day, month: month, year: thisCentury) <= today ? thisCentury : thisCentury - 100
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
