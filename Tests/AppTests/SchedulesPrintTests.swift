import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import StaffChannel

/// Doctors' schedules to print: a sheet a doctor, a grid a week, free / held (surname, initials,
/// ticket) / closed; a week or a calendar month; the clinic's own staff only; every print audited.
@Suite struct SchedulesPrintTests {
    private func store() async throws -> AppDatabase {
        try await storeWithStaff([("reg", "Сергеева Е. И.", .registrar)], clinics: ["reg": ["101"]])
    }

    private func signIn(_ browser: Browser) async throws {
        _ = try await browser.get("/staff/sign-in")
        #expect(try await browser.post("/staff/sign-in", ["login": "reg", "password": staffPassword]).status == .seeOther)
    }

    @Test func aWeekOfEveryDoctorPrintsASheetEachWithHeldFreeAndClosedTimes() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, mis in
            let guide = DemoGuide(mis)
            let time = try #require(try guide.freeTimes(clinic: "101", specialty: "113", after: Date().addingTimeInterval(3_600)).first)
            let person = try #require(try guide.people(.adult(of: "101")).first)
            let booked = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: time.slot, patientID: person.id, channel: .frontDesk, requestID: "p-1"), now: Date())
            // Another doctor's day is closed.
            let other = try #require(try guide.freeTimes(clinic: "101", specialty: "109", day: time.day, after: Date()).first)
            try mis.cancelDoctorDay(doctor: other.doctor, day: other.day, reason: "Учёба", now: Date())
            try await signIn(browser)
            let form = try await browser.get("/staff/clinics/101/schedules")
            #expect(form.status == .ok && form.text.contains(#"<option value="113">"#) && form.text.contains(#"name="from""#))
            let page = try await browser.get("/staff/clinics/101/schedules/print?from=\(time.day)&period=week")
            #expect(page.status == .ok)
            let html = page.text
            let doctors = try mis.schedule(clinic: "101", doctor: nil, from: time.day, to: time.day, after: nil).doctors.count
            #expect(html.components(separatedBy: #"<section class="staff-sheet""#).count - 1 == doctors)
            let ticket = try #require(booked.ticket)
            #expect(html.contains("\(person.lastName) \(person.firstName.prefix(1))."))
            #expect(html.contains(ticket))
            #expect(html.contains("staff-grid__closed") && html.contains("нет приёма") && html.contains("свободно") && html.contains("Время — московское время"))
            #expect(html.contains("staff-print--landscape"))
            let line = try #require(try database.auditEntries(AuditQuery(action: "clinic.schedule-printed")).first)
            #expect(line.detail.hasPrefix("поликлиника 101, \(time.day) – ") && line.detail.contains("все врачи (листов: \(doctors)), пациентов: 1"))

            // A specialty's doctors only; one doctor; a calendar month.
            let surgeons = try await browser.get("/staff/clinics/101/schedules/print?from=\(time.day)&period=week&specialty=113").text
            #expect(surgeons.components(separatedBy: #"<section class="staff-sheet""#).count - 1 == 1)
            let month = try await browser.get("/staff/clinics/101/schedules/print?from=\(time.day)&period=month&doctor=\(time.doctor)").text
            #expect(month.contains(DayNameForTests.typedDay(String(time.day.prefix(8)) + "01") + " – "))
            #expect(try await browser.get("/staff/clinics/101/schedules/print?from=\(time.day)&period=week&doctor=nobody").status == .notFound)
        }
    }

    @Test func aBadPeriodOrAnotherClinicIsRefusedClearly() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, _ in
            try await signIn(browser)
            let bad = try await browser.get("/staff/clinics/101/schedules/print?from=31.02.2026&period=week")
            #expect(bad.status == .badRequest && bad.text.contains("Укажите день в виде ДД.ММ.ГГГГ"))
            let far = try await browser.get("/staff/clinics/101/schedules/print?from=2020-01-01&period=month")
            #expect(far.status == .badRequest && far.text.contains("не дальше чем на 400 дней"))
            #expect(try await browser.get("/staff/clinics/102/schedules/print?from=2026-12-07&period=week").status == .forbidden)
            #expect(try database.auditEntries(AuditQuery(action: "clinic.schedule-printed")).isEmpty)
        }
    }

    @Test func aMonthIsTheCalendarMonthOfItsFirstDay() {
        #expect(SchedulesController.period("month", from: "2026-02-17")! == ("2026-02-01", "2026-02-28"))
        #expect(SchedulesController.period("month", from: "2028-02-29")! == ("2028-02-01", "2028-02-29"))
        #expect(SchedulesController.period("month", from: "2026-12-31")! == ("2026-12-01", "2026-12-31"))
        #expect(SchedulesController.period("week", from: "2026-12-28")! == ("2026-12-28", "2027-01-03"))
        #expect(ScheduleSheetsPage.shortName("Королёва Мария Юрьевна") == "Королёва М. Ю." && ScheduleSheetsPage.shortName("Ким") == "Ким")
    }
}
