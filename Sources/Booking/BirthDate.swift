import Foundation

/// A birth date as a patient types it: «05.05.1980», «5.5.1980», «05 05 1980», «05-05-1980»,
/// «05051980» or «1980-05-05».
public enum BirthDate {
    /// `YYYY-MM-DD` for a real calendar day between 1900 and `today` (also `YYYY-MM-DD`); nil otherwise.
    public static func parse(_ text: String, today: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let groups = trimmed.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == " " || $0 == "/" }).map(String.init)
        var parts: (day: Int, month: Int, year: Int)?
        if groups.count == 3, let a = Int(groups[0]), let b = Int(groups[1]), let c = Int(groups[2]) {
            parts = groups[0].count == 4 ? (c, b, a) : (a, b, c)
        } else if groups.count == 1, trimmed.count == 8, trimmed.allSatisfy(\.isASCIIDigit) {
            parts = (Int(trimmed.prefix(2))!, Int(trimmed.dropFirst(2).prefix(2))!, Int(trimmed.suffix(4))!)
        }
        guard let (day, month, year) = parts, (1900...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
            return nil
        }
        let result = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        return result <= today ? result : nil
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
