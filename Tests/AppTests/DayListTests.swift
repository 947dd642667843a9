import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App

/// A clinic's day list: who comes, booked how and by whom, how it stands — for the clinic's own
/// registrars and head only, on screen, to print and as CSV, every look audited.
@Suite struct DayListTests {
    private func store() async throws -> AppDatabase {
        try await storeWithStaff([("reg", "Сергеева Е. И.", .registrar), ("head", "Орлов П. П.", .head), ("ivanova", "Иванова М. П.", .operator),
                                  ("lost", "Никитин А. А.", .registrar)], clinics: ["reg": ["101"], "head": ["101", "102"], "lost": ["999"]])
    }

    private func signIn(_ browser: Browser, _ login: String) async throws {
        _ = try await browser.get("/staff/sign-in")
        #expect(try await browser.post("/staff/sign-in", ["login": login, "password": staffPassword]).status == .seeOther)
    }

    /// A region with a week of history, and one booking made at the front desk for a patient whose
    /// surname a spreadsheet would take for a formula: (the day of that booking, its ticket).
    private func withBookedDay(_ database: AppDatabase, _ body: @escaping @Sendable (Browser, ReferenceMIS, String, String) async throws -> Void) async throws {
        try await withDemoRegion(database: database, configureMIS: { mis in _ = try! DemoHistory(days: 7).generate(into: mis, now: Date()) }) { browser, mis in
            try mis.addPatient(id: "P-HOSTILE", policy: "7700000000000018", birthDate: "1970-05-06", lastName: "=HYPERLINK(\"http://x\")", firstName: "Ольга",
                               middleName: "Павловна", sex: "female", document: "45 00 000001", phone: "+7 916 000-00-01", clinic: "101", district: "1")
            let time = try #require(try DemoGuide(mis).freeTimes(clinic: "101", specialty: "113", after: Date().addingTimeInterval(3_600)).first)
            let booked = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: time.slot, patientID: "P-HOSTILE", channel: .frontDesk, requestID: "desk-1", actor: "desk:101-1"),
                                                now: Date())
            try await body(browser, mis, time.day, try #require(booked.ticket))
        }
    }

    @Test func aRegistrarReadsTheDayOfTheirClinicAndEveryLookIsAudited() async throws {
        let database = try await store()
        try await withBookedDay(database) { browser, _, day, ticket in
            try await signIn(browser, "reg")
            let page = try await browser.get("/staff/clinics/101/day?day=\(day)")
            #expect(page.status == .ok && page.headers[.cacheControl] == "no-store")
            let html = page.text
            #expect(html.contains(ticket) && html.contains("=HYPERLINK(&quot;http://x&quot;) Ольга Павловна") && html.contains("06.05.1970"))
            #expect(html.contains("+7 916 000-00-01") && html.contains("регистратура, регистратор 101-1") && html.contains("записан"))
            #expect(html.contains("Время — московское время") && html.contains("Пациентов: 1"))
            let lines = try database.auditEntries(AuditQuery(action: "clinic.day-list-viewed"))
            #expect(lines.count == 1 && lines[0].detail == "поликлиника 101, день \(day), все врачи, пациентов: 1")

            // The last working day, from the MIS's own history: visits marked, phones, bookings of every channel.
            let today = ProtocolTime.day(Date(), in: TimeZone(identifier: "Europe/Moscow")!)
            let workday = try #require((1...7).compactMap { TypedDayForTests.adding(-$0, to: today) }.first { TypedDayForTests.isWeekday($0) })
            let past = try await browser.get("/staff/clinics/101/day?day=\(workday)").text
            #expect(past.contains("Пациентов:") && past.contains("пришёл") && past.contains("+7 9"))

            // One doctor only, chosen from the clinic's list.
            let doctor = try #require(html.range(of: #"<option value="[0-9]+""#, options: .regularExpression).map { String(html[$0]).filter(\.isNumber) })
            let narrowed = try await browser.get("/staff/clinics/101/day?day=\(day)&doctor=\(doctor)")
            #expect(narrowed.status == .ok && narrowed.text.contains(#"<option value="\#(doctor)" selected>"#))
            #expect(try await browser.get("/staff/clinics/101/day?day=\(day)&doctor=nobody").status == .notFound)
        }
    }

    @Test func thePrintAndTheSpreadsheetAreAuditedAndTheSpreadsheetDefusesFormulas() async throws {
        let database = try await store()
        try await withBookedDay(database) { browser, _, day, ticket in
            try await signIn(browser, "head")
            let print = try await browser.get("/staff/clinics/101/day/print?day=\(day)")
            #expect(print.status == .ok && print.text.contains(ticket) && print.text.contains("Напечатано") && print.text.contains("Орлов П. П."))
            #expect(!print.text.contains("desk-nav"), "no navigation on paper")
            let csv = try await browser.get("/staff/clinics/101/day/export?day=\(day)")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.headers[.contentDisposition] == "attachment; filename=\"day-list-101-\(day).csv\"")
            #expect(csv.text.hasPrefix("\u{FEFF}\"время\";\"врач\""))
            #expect(csv.text.contains(#""'=HYPERLINK(""http://x"") Ольга Павловна""#) && csv.text.contains("\"\(ticket)\""))
            #expect(try database.auditEntries(AuditQuery(action: "clinic.day-list-printed")).count == 1)
            #expect(try database.auditEntries(AuditQuery(action: "clinic.day-list-exported")).map(\.detail) == ["поликлиника 101, день \(day), все врачи, пациентов: 1"])
        }
    }

    @Test func anotherClinicsListIsRefusedAndAudited() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, _ in
            try await signIn(browser, "reg")
            for path in ["/staff/clinics/102/day", "/staff/clinics/102/day/print?day=2026-12-07", "/staff/clinics/102/day/export?day=2026-12-07"] {
                let refused = try await browser.get(path)
                #expect(refused.status == .forbidden && refused.text.contains("Это не ваша поликлиника"), "\(path)")
            }
            let registrarID = try #require(try await database.account(login: "reg")).id
            #expect(try database.auditEntries(AuditQuery(action: "staff.refused")).filter { $0.actor == "account:\(registrarID)" }.map(\.detail).sorted()
                == ["/staff/clinics/102/day, поликлиника 102", "/staff/clinics/102/day/export, поликлиника 102", "/staff/clinics/102/day/print, поликлиника 102"])
            #expect(try database.auditEntries(AuditQuery(action: "clinic.day-list-viewed")).isEmpty)
            // The head of 101 and 102 opens both; an operator neither; a clinic the region does not have is not found.
            let head = Browser(browser.client)
            try await signIn(head, "head")
            #expect(try await head.get("/staff/clinics/102/day").status == .ok)
            let desk = Browser(browser.client)
            try await signIn(desk, "ivanova")
            #expect(try await desk.get("/staff/clinics/101/day").status == .forbidden)
            let lost = Browser(browser.client)
            try await signIn(lost, "lost")
            #expect(try await lost.get("/staff/clinics/999/day").status == .notFound)
        }
    }

    @Test func aBadDayGetsAClearMessageAndNothingIsRead() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, _ in
            try await signIn(browser, "reg")
            for (typed, message) in [("32.13.2026", "Укажите день в виде ДД.ММ.ГГГГ"), ("2026-02-30", "Укажите день"), ("вчера", "Укажите день"),
                                     ("01.01.2020", "не дальше чем на 400 дней"), ("2031-01-01", "не дальше чем на 400 дней")] {
                let page = try await browser.get("/staff/clinics/101/day?day=\(typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect(page.status == .badRequest && page.text.contains(message) && page.text.contains(##"href="#day""##), "\(typed)")
            }
            // Typed as people type it, a day is read.
            #expect(try await browser.get("/staff/clinics/101/day?day=\(DayNameForTests.typed(Date()))").status == .ok)
            #expect(try database.auditEntries(AuditQuery(action: "clinic.day-list-viewed")).count == 1)
        }
    }
}

/// Day arithmetic for the tests, independent of the code under test.
enum TypedDayForTests {
    static func adding(_ days: Int, to day: String) -> String? {
        guard let date = ProtocolTime.date(from: day + "T12:00:00Z") else { return nil }
        return ProtocolTime.day(date.addingTimeInterval(TimeInterval(days * 86_400)), in: TimeZone(identifier: "UTC")!)
    }

    /// Monday to Friday.
    static func isWeekday(_ day: String) -> Bool {
        guard let date = ProtocolTime.date(from: day + "T12:00:00Z") else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return (2...6).contains(calendar.component(.weekday, from: date))
    }
}

/// Today in Moscow as people type it, `DD.MM.YYYY`.
enum DayNameForTests {
    /// `YYYY-MM-DD` as `DD.MM.YYYY`.
    static func typedDay(_ day: String) -> String {
        let parts = day.split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    static func typed(_ now: Date) -> String {
        let parts = ProtocolTime.day(now, in: TimeZone(identifier: "Europe/Moscow")!).split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }
}
