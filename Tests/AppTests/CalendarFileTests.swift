import Foundation
import Persistence
import Testing
@testable import App
@testable import Web

@Suite("Calendar file")
struct CalendarFileTests {
    let entry = LedgerEntry(
        requestID: "abc123", patientKey: "k", clinicID: "108", slotID: "1", misPatientID: "P1", ticket: "108-000042",
        clinicName: "ГАУЗ «Восточная поликлиника» (филиал в Екатеринбурге)", clinicAddress: "г. Екатеринбург, ул. Малышева, 90",
        clinicPhone: "+7 343 404-00-08", timeZone: "Asia/Yekaterinburg", federalCode: "92", specialtyName: "Хирург",
        doctorName: "Иванова Мария Петровна", room: "214", start: Date(timeIntervalSince1970: 1_795_424_400),
        end: Date(timeIntervalSince1970: 1_795_425_300), day: "2026-11-23", status: .active, channel: "internet",
        createdAt: Date(timeIntervalSince1970: 1_795_400_000)
    )

    @Test func isAValidICalendarEvent() {
        let ics = CalendarFile.ics(for: entry, now: Date(timeIntervalSince1970: 1_795_400_000))
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
        #expect(ics.contains("\r\nDTSTART:20261123T090000Z\r\n"))  // 14:00 in Yekaterinburg
        #expect(ics.contains("\r\nDTEND:20261123T091500Z\r\n"))
        #expect(ics.contains("UID:abc123@registratura"))
        // Every physical line is at most 75 octets, and unfolding restores the Cyrillic text intact.
        for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("LOCATION:ГАУЗ «Восточная поликлиника» (филиал в Екатеринбурге)\\, г. Екатеринбург\\, ул. Малышева\\, 90\\, кабинет 214"))
        #expect(unfolded.contains("Талон № 108-000042"))
    }

    @Test func escapesTextValues() {
        #expect(CalendarFile.escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne")
    }
}
