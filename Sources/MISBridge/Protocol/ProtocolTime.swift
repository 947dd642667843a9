import CivilTime
import Foundation

/// The protocol's time formats: instants as `2026-11-23T08:00:00+05:00` (ISO 8601 with the clinic's
/// offset) and days as `2026-11-23`.
public enum ProtocolTime {
    /// `date` as the clock in `zone` shows it, with that zone's offset.
    public static func string(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = CivilDate.floorDivide(local, 86_400)
        let second = local - days * 86_400
        let civil = CivilDate(daysSinceEpoch: days)
        let sign: UInt8 = offset < 0 ? 0x2D : 0x2B
        var bytes = [UInt8](repeating: 0, count: 25)
        put(civil.year, into: &bytes, at: 0, width: 4)
        bytes[4] = 0x2D
        put(civil.month, into: &bytes, at: 5)
        bytes[7] = 0x2D
        put(civil.day, into: &bytes, at: 8)
        bytes[10] = 0x54
        put(second / 3_600, into: &bytes, at: 11)
        bytes[13] = 0x3A
        put(second % 3_600 / 60, into: &bytes, at: 14)
        bytes[16] = 0x3A
        put(second % 60, into: &bytes, at: 17)
        bytes[19] = sign
        put(abs(offset) / 3_600, into: &bytes, at: 20)
        bytes[22] = 0x3A
        put(abs(offset) % 3_600 / 60, into: &bytes, at: 23)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM`; nil for anything else.
    public static func date(from text: String) -> Date? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ date(fromBytes: $0) }) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer { date(fromBytes: $0) }
    }

    static func date(fromBytes bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 20 || bytes.count == 25, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var offset = 0
        if bytes.count == 25 {
            guard bytes[19] == 0x2B || bytes[19] == 0x2D, bytes[22] == 0x3A, let hours = number(bytes, 20, 2), let minutes = number(bytes, 23, 2) else { return nil }
            offset = (hours * 3_600 + minutes * 60) * (bytes[19] == 0x2D ? -1 : 1)
        } else if bytes[19] != 0x5A {
            return nil
        }
        let seconds = CivilDate(year: year, month: month, day: day).daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The day `date` falls on in `zone`, as `YYYY-MM-DD`.
    public static func day(_ date: Date, in zone: TimeZone) -> String {
        String(string(date, in: zone).prefix(10))
    }

    /// Whether `text` is a real calendar day written `YYYY-MM-DD`.
    public static func isDay(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D, let year = number(bytes, 0, 4), let month = number(bytes, 5, 2),
                let day = number(bytes, 8, 2), (1...12).contains(month), (1...31).contains(day)
            else { return false }
            let civil = CivilDate(daysSinceEpoch: CivilDate(year: year, month: month, day: day).daysSinceEpoch)
            return civil.month == month && civil.day == day
        }
    }

    /// Midnight starting `day` in `zone`.
    public static func startOfDay(_ day: String, in zone: TimeZone) -> Date? {
        guard isDay(day), let utcMidnight = date(from: day + "T00:00:00Z") else { return nil }
        let guess = utcMidnight.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: utcMidnight)))
        return utcMidnight.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: guess)))
    }

    @inline(__always)
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for index in start..<(start + length) {
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Writes `value` as `width` decimal digits (years before 1000 get leading zeros; beyond 9999 keep only the last four).
    private static func put(_ value: Int, into bytes: inout [UInt8], at start: Int, width: Int = 2) {
        var rest = abs(value)
        for index in stride(from: start + width - 1, through: start, by: -1) {
            bytes[index] = UInt8(0x30 + rest % 10)
            rest /= 10
        }
    }
}
