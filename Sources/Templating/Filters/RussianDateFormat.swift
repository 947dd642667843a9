import CivilTime
import Foundation
import Synchronization

/// A date pattern rendered in Russian in a given time zone: «пятница, 27 ноября», «09:40».
///
/// Pattern letters: `d`/`dd` day, `M`/`MM` month number, `MMMM` month in the genitive («ноября»),
/// `LLLL` month in the nominative («ноябрь»), `yyyy` year, `EEEE` weekday («пятница»), `EE` short
/// weekday («пт»), `H`/`HH` hour, `mm` minute; text in single quotes is literal, as is anything that
/// is not a letter. Named patterns: `short` (27.11.2026), `long` (27 ноября 2026), `weekday`
/// (пятница, 27 ноября), `time` (09:40).
public struct RussianDateFormat: Sendable, Equatable {
    /// A pattern that cannot be read, with the reason.
    public struct PatternError: Error, Equatable {
        public let message: String
    }

    enum Piece: Sendable, Equatable {
        case literal(String)
        case day, dayTwoDigits, month, monthTwoDigits, monthGenitive, monthNominative, year
        case weekday, weekdayShort, hour, hourTwoDigits, minuteTwoDigits
    }

    let pieces: [Piece]

    static let namedPatterns: [String: String] = [
        "short": "dd.MM.yyyy",
        "long": "d MMMM yyyy",
        "weekday": "EEEE, d MMMM",
        "time": "HH:mm",
    ]

    public init(_ pattern: String) throws(PatternError) {
        let characters = Array(Self.namedPatterns[pattern] ?? pattern)
        var pieces: [Piece] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                guard let close = characters[(index + 1)...].firstIndex(of: "'") else {
                    throw PatternError(message: "quoted text in date pattern is not closed")
                }
                pieces.append(.literal(String(characters[(index + 1)..<close])))
                index = close + 1
                continue
            }
            guard character.isASCII, character.isLetter else {
                pieces.append(.literal(String(character)))
                index += 1
                continue
            }
            var run = 1
            while index + run < characters.count, characters[index + run] == character { run += 1 }
            guard let piece = Self.piece(character, run) else {
                throw PatternError(message: "date pattern has unknown field '\(String(repeating: character, count: run))'")
            }
            pieces.append(piece)
            index += run
        }
        self.pieces = pieces
    }

    private static func piece(_ letter: Character, _ count: Int) -> Piece? {
        switch (letter, count) {
        case ("d", 1): .day
        case ("d", 2): .dayTwoDigits
        case ("M", 1): .month
        case ("M", 2): .monthTwoDigits
        case ("M", 4): .monthGenitive
        case ("L", 4): .monthNominative
        case ("y", 4): .year
        case ("E", 4): .weekday
        case ("E", 2): .weekdayShort
        case ("H", 1): .hour
        case ("H", 2): .hourTwoDigits
        case ("m", 2): .minuteTwoDigits
        default: nil
        }
    }

    /// The date written in Russian as the clock on the wall in `timeZone` shows it.
    public func string(from date: Date, in timeZone: TimeZone) -> String {
        let local = LocalDateTime(date, in: timeZone)
        var result = ""
        result.reserveCapacity(32)
        for piece in pieces {
            switch piece {
            case .literal(let text): result += text
            case .day: appendDigits(local.day, to: &result)
            case .dayTwoDigits: appendTwoDigits(local.day, to: &result)
            case .month: appendDigits(local.month, to: &result)
            case .monthTwoDigits: appendTwoDigits(local.month, to: &result)
            case .monthGenitive: result += RussianCalendarNames.monthsGenitive[local.month - 1]
            case .monthNominative: result += RussianCalendarNames.monthsNominative[local.month - 1]
            case .year: result += String(local.year)
            case .weekday: result += RussianCalendarNames.weekdays[local.weekday]
            case .weekdayShort: result += RussianCalendarNames.weekdaysShort[local.weekday]
            case .hour: appendDigits(local.hour, to: &result)
            case .hourTwoDigits: appendTwoDigits(local.hour, to: &result)
            case .minuteTwoDigits: appendTwoDigits(local.minute, to: &result)
            }
        }
        return result
    }

    /// A day, month or hour (0–99) without a leading zero.
    private func appendDigits(_ value: Int, to result: inout String) {
        if value >= 10 { result.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / 10 % 10))) }
        result.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value % 10)))
    }

    /// The same with a leading zero: «09».
    private func appendTwoDigits(_ value: Int, to result: inout String) {
        result.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / 10 % 10)))
        result.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value % 10)))
    }
}

/// Russian names of months and weekdays (weekday 0 is Monday).
public enum RussianCalendarNames {
    public static let monthsGenitive = [
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]
    public static let monthsNominative = [
        "январь", "февраль", "март", "апрель", "май", "июнь",
        "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
    ]
    public static let weekdays = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]
    public static let weekdaysShort = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
}

/// The calendar fields of an instant as seen in one time zone (proleptic Gregorian).
public struct LocalDateTime: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    /// 0 is Monday, 6 is Sunday.
    public let weekday: Int

    public init(_ date: Date, in timeZone: TimeZone) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + ZoneOffsets.seconds(of: timeZone, at: date)
        let days = CivilDate.floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let civil = CivilDate(daysSinceEpoch: days)
        (year, month, day) = (civil.year, civil.month, civil.day)
        hour = secondOfDay / 3_600
        minute = secondOfDay % 3_600 / 60
        weekday = civil.weekday
    }
}

/// A zone's offset from UTC at an instant, remembered with the interval it holds for (up to the zone's
/// next transition), so that a page formatting hundreds of times of one clinic asks the time-zone
/// database once rather than for every time.
enum ZoneOffsets {
    /// From `from` up to `until` (nil: no transition ahead) the zone is `seconds` ahead of UTC.
    private struct Interval {
        let from: Date
        let until: Date?
        let seconds: Int
    }

    /// One interval per zone a page has used (a handful): searched in order, no hashing.
    private static let known = Mutex<[(zone: String, interval: Interval)]>([])

    static func seconds(of zone: TimeZone, at date: Date) -> Int {
        let identifier = zone.identifier
        let remembered = known.withLock { known in known.first { $0.zone == identifier }?.interval }
        if let interval = remembered, date >= interval.from, interval.until.map({ date < $0 }) ?? true {
            return interval.seconds
        }
        let seconds = zone.secondsFromGMT(for: date)
        let interval = Interval(from: date, until: zone.nextDaylightSavingTimeTransition(after: date), seconds: seconds)
        known.withLock { known in
            if let index = known.firstIndex(where: { $0.zone == identifier }) { known[index].interval = interval } else if known.count < 64 { known.append((identifier, interval)) }
        }
        return seconds
    }
}
