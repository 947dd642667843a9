import Foundation
import Persistence

/// A ticket as an iCalendar file (RFC 5545) that phones and calendar programs import.
public enum CalendarFile {
    /// The download's `Content-Disposition`. The ticket number comes from a MIS, so only its
    /// letters, digits and hyphens (ASCII) reach the header; anything else becomes a hyphen.
    public static func contentDisposition(ticket: String?) -> String {
        "attachment; filename=\"\(fileName(ticket: ticket))\""
    }

    /// `talon-<ticket>.ics`, of the ticket number's ASCII letters, digits and hyphens only (a mail's attachment name too).
    public static func fileName(ticket: String?) -> String {
        let safe = String((ticket ?? "").unicodeScalars.prefix(32).map { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || scalar == "-") ? Character(scalar) : "-"
        })
        return "talon-\(safe.isEmpty ? "priem" : safe).ics"
    }

    public static func ics(for entry: LedgerEntry, now: Date = Date()) -> String {
        let lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Registratura//Online registry//RU",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:\(entry.requestID)@registratura",
            "DTSTAMP:\(utc(now))",
            "DTSTART:\(utc(entry.start))",
            "DTEND:\(utc(entry.end))",
            "SUMMARY:" + escape("Приём: \(entry.specialtyName), \(entry.doctorName)"),
            "LOCATION:" + escape("\(entry.clinicName), \(entry.clinicAddress), кабинет \(entry.room)"),
            "DESCRIPTION:" + escape((entry.ticket.map { "Талон № \($0). " } ?? "") + "Приходите за 15 минут, возьмите паспорт и полис ОМС. Телефон регистратуры: \(entry.clinicPhone)."),
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "DESCRIPTION:" + escape("Завтра приём у врача"),
            "TRIGGER:-PT24H",
            "END:VALARM",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261123T050000Z`.
    public static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// Text values escape backslash, semicolon, comma and line breaks.
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a character.
    public static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.append(character)
            octets += size
        }
        return result
    }
}
