import Booking
import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Notifications
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App

/// A clinic's queue: online bookings of a clinic that approves them, confirmed or refused by its
/// registrar; bookings a closed day displaced, moved or cancelled — the patient told each time.
@Suite struct QueueTests {
    private func store() async throws -> AppDatabase {
        try await storeWithStaff([("reg", "Сергеева Е. И.", .registrar), ("reg2", "Белова А. А.", .registrar), ("head", "Орлов П. П.", .head), ("other", "Никитин А. А.", .registrar)],
                                 clinics: ["reg": ["106"], "reg2": ["106"], "head": ["106"], "other": ["101"]])
    }

    private func signIn(_ browser: Browser, _ login: String) async throws {
        _ = try await browser.get("/staff/sign-in")
        #expect(try await browser.post("/staff/sign-in", ["login": login, "password": staffPassword]).status == .seeOther)
    }

    /// A patient of clinic 106 (which approves online bookings) books the first free time of a
    /// specialty open to anyone there: (the ledger's request id, the patient's key, the slot).
    private func bookOnline(_ browser: Browser, _ mis: ReferenceMIS, _ database: AppDatabase, skipping: Int = 0) async throws -> (requestID: String, key: String, slot: String) {
        let person = try #require(try DemoGuide(mis).people(.adult(of: "106"), skipping: skipping).first)
        try await identify(browser, policy: person.policy, birthDate: person.birthDate)
        let key = AppDatabase.patientKey(policy: try PolicyNumber(parsing: person.policy).protocolValue, birthDate: person.birthDate)
        try await saveConfirmedContact(database, patientKey: key, email: "patient\(skipping)@example.org", consentAt: Date())
        let open = try #require(try mis.specialties(clinic: "106", now: Date()).first { $0.selfBooking == .open && !$0.attachedOnly && $0.minimumAge == nil && $0.freeCount > 2 })
        let time = try #require(try DemoGuide(mis).freeTimes(clinic: "106", specialty: open.id, after: Date().addingTimeInterval(3 * 3_600), count: 1 + skipping).last)
        let check = try await browser.get("/book?clinic=106&doctor=\(time.doctor)&slot=\(time.slot)")
        let requestID = try requestID(onCheckPage: check.text)
        #expect(try await browser.post("/book", ["clinic": "106", "doctor": time.doctor, "slot": time.slot, "requestId": requestID]).status == .seeOther)
        return (requestID, key, time.slot)
    }

    /// Today's figures of the clinic's decisions, by key.
    private func decisions(_ database: AppDatabase) async throws -> [String: Int] {
        let today = ProtocolTime.day(Date(), in: TimeZone(identifier: "Europe/Moscow")!)
        let totals = try await database.statistics(StatisticQuery(basis: .shown, from: today, to: today, clinics: ["106"], metrics: ["decision"]))
        return Dictionary(totals.map { ($0.key, $0.value) }, uniquingKeysWith: +)
    }

    @Test func aRegistrarConfirmsAnOnlineBookingOnceAndThePatientIsTold() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, mis in
            let (requestID, key, _) = try await bookOnline(browser, mis, database)
            // The patient reads that the clinic is to confirm it: not yet a ticket
            let ticket = try await browser.get("/tickets/\(requestID)").text
            #expect(ticket.contains("Заявка на запись принята") && ticket.contains("это ещё не талон") && !ticket.contains("Вы записаны"))
            #expect(try await browser.get("/cabinet").text.contains("Ждёт подтверждения поликлиники"))
            #expect(try database.booking(requestID: requestID)?.status == .awaiting)

            // The registrar's queue lists it; its page shows the card the MIS finds
            let registrar = Browser(browser.client)
            try await signIn(registrar, "reg")
            #expect(try await registrar.get("/staff").text.contains("/staff/clinics/106/queue"))
            let queue = try await registrar.get("/staff/clinics/106/queue")
            #expect(queue.status == .ok && queue.headers[.cacheControl] == "no-store" && queue.text.contains("Ждут подтверждения"))
            let entry = try #require(try await database.booking(requestID: requestID)?.appointmentID)
            #expect(queue.text.contains("/staff/clinics/106/queue/\(entry)"))
            let page = try await registrar.get("/staff/clinics/106/queue/\(entry)").text
            let card = try #require(page.range(of: #"name="patient" value="[^"]+""#, options: .regularExpression).map { String(page[$0]).components(separatedBy: "\"")[3] })
            #expect(page.contains("сайт") && !page.contains("Создать карту и подтвердить"))

            // A second registrar opened it too; the first confirms, the second is told it was decided
            let second = Browser(browser.client)
            try await signIn(second, "reg2")
            _ = try await second.get("/staff/clinics/106/queue/\(entry)")
            let confirmed = try await registrar.post("/staff/clinics/106/queue/\(entry)/confirm", ["patient": card])
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/staff/clinics/106/queue?done=confirmed")
            let late = try await second.post("/staff/clinics/106/queue/\(entry)/refuse", ["reason": "mo_decline", "text": ""])
            #expect(late.status == .conflict && late.text.contains("Эту запись уже решили, ничего не изменено: запись уже подтверждена"))

            // The ledger and the patient: an appointment now, one message saying so
            #expect(try database.booking(requestID: requestID)?.status == .active)
            #expect(try await browser.get("/tickets/\(requestID)").text.contains("Вы записаны"))
            let kinds = try await database.messages(patientKey: key).map(\.kind)
            #expect(kinds.filter { $0 == .clinicConfirmed }.count == 1 && kinds.contains(.awaiting) && !kinds.contains(.clinicRefused))
            let audited = try database.auditEntries(AuditQuery(action: "reservation.confirmed"))
            #expect(audited.count == 1 && audited[0].patientKey == key && audited[0].detail.contains("бронь \(entry)"))
            #expect(try await decisions(database) == ["confirmed|0-1h": 1])
            // The head of the clinic reads it in the statistics
            let head = Browser(browser.client)
            try await signIn(head, "head")
            let today = ProtocolTime.day(Date(), in: TimeZone(identifier: "Europe/Moscow")!)
            let statistics = try await head.get("/staff/statistics?period=day&from=\(today)&clinic=106").text
            #expect(statistics.contains("Записи, ждавшие решения поликлиники") && statistics.contains("бронь подтверждена, ждала до часа"))
        }
    }

    @Test func aRefusalReachesThePatientWithItsReason() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, mis in
            let (requestID, key, slot) = try await bookOnline(browser, mis, database)
            let registrar = Browser(browser.client)
            try await signIn(registrar, "reg")
            let entry = try #require(try await database.booking(requestID: requestID)?.appointmentID)
            _ = try await registrar.get("/staff/clinics/106/queue/\(entry)")
            // No reason: the form says so, nothing is decided
            let missing = try await registrar.post("/staff/clinics/106/queue/\(entry)/refuse", ["reason": "", "text": "x"])
            #expect(missing.status == .unprocessableContent && missing.text.contains("Выберите причину отказа."))
            let refused = try await registrar.post("/staff/clinics/106/queue/\(entry)/refuse", ["reason": "incorrect_service", "text": "Этот врач принимает только по направлению терапевта."])
            #expect(refused.status == .seeOther && refused.headers[.location] == "/staff/clinics/106/queue?done=refused")
            let after = try #require(try database.booking(requestID: requestID))
            #expect(after.status == .cancelled && after.cancelledBy == "clinic" && after.cancelReason == "Этот врач принимает только по направлению терапевта.")
            #expect(try await browser.get("/tickets/\(requestID)").text.contains("Поликлиника отменила эту запись: Этот врач принимает только по направлению терапевта."))
            // The patient's mail says it was refused and why; the first said the clinic was to confirm it
            let composer = LedgerMessageComposer(database: database, pages: try testPages.get(), publicURL: "https://registratura.example.org",
                                                 sender: ("r@example.org", "Регистратура"), quietHours: QuietHours(), now: Date.init)
            let messages = try await database.messages(patientKey: key).filter { $0.channel == .email }
            let refusal = try #require(messages.first { $0.kind == .clinicRefused })
            guard case .email(let mail)? = try await composer.compose(refusal) else { Issue.record("no mail for the refusal"); return }
            #expect(mail.subject.hasPrefix("Поликлиника отклонила запись на ") && mail.text.contains("Этот врач принимает только по направлению терапевта.") && mail.calendar == nil)
            #expect(mail.html.contains("Поликлиника отклонила вашу запись"))
            guard case .email(let first)? = try await composer.compose(try #require(messages.first { $0.kind == .awaiting })) else { Issue.record("no mail for the reservation"); return }
            #expect(first.subject.hasPrefix("Заявка на запись принята") && first.text.contains("это ещё не талон") && first.calendar == nil)
            // The time is free again for anyone
            #expect(try DemoGuide(mis).freeTimes(clinic: "106", after: Date(), count: 10_000).contains { $0.slot == slot })
        }
    }

    @Test func aDisplacedBookingIsMovedAndAnotherCancelledBothPatientsTold() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, mis in
            // One reservation confirmed, one still awaiting; then the clinic closes their doctor's day
            let first = try await bookOnline(browser, mis, database)
            let other = Browser(browser.client)
            let second = try await bookOnline(other, mis, database, skipping: 1)
            let confirmed = try #require(try await database.booking(requestID: first.requestID))
            _ = try mis.confirmReservation(clinic: "106", appointment: try #require(confirmed.appointmentID), patient: confirmed.misPatientID, actor: nil, now: Date())
            let entry = try #require(try await database.booking(requestID: first.requestID))
            let doctor = try #require(entry.doctorID)
            try mis.cancelDoctorDay(doctor: doctor, day: entry.day, reason: "врач на курсах", now: Date())
            let registrar = Browser(browser.client)
            try await signIn(registrar, "reg")
            let queue = try await registrar.get("/staff/clinics/106/queue").text
            #expect(queue.contains("Выпали из расписания") && queue.contains("врач на курсах"))
            // The patient's cabinet learnt it from the clinic's change log
            #expect(try await browser.get("/cabinet").text.contains("Поликлиника закрыла время приёма"))
            #expect(try database.booking(requestID: first.requestID)?.status == .displaced)
            // Moved to a free time of the specialty
            let appointment = try #require(entry.appointmentID)
            let page = try await registrar.get("/staff/clinics/106/queue/\(appointment)").text
            let slot = try #require(page.range(of: #"<option value="[0-9]+">"#, options: .regularExpression).map { String(page[$0]).filter(\.isNumber) })
            let moved = try await registrar.post("/staff/clinics/106/queue/\(appointment)/move", ["slot": slot])
            #expect(moved.status == .seeOther && moved.headers[.location] == "/staff/clinics/106/queue?done=moved")
            let after = try #require(try database.booking(requestID: first.requestID))
            #expect(after.status == .active && after.slotID == slot && after.start != entry.start && after.ticket == entry.ticket)
            #expect(try await database.messages(patientKey: first.key).contains { $0.kind == .clinicMoved })
            // The other cancelled as the clinic, with the reason's own sentence
            let otherAppointment = try #require(try await database.booking(requestID: second.requestID)?.appointmentID)
            _ = try await registrar.get("/staff/clinics/106/queue/\(otherAppointment)")
            let cancelled = try await registrar.post("/staff/clinics/106/queue/\(otherAppointment)/refuse", ["reason": "no_free_space", "text": "", "displaced": "1"])
            #expect(cancelled.headers[.location] == "/staff/clinics/106/queue?done=cancelled")
            let gone = try #require(try database.booking(requestID: second.requestID))
            #expect(gone.status == .cancelled && gone.cancelReason == ReservationRefusal.sentence(.noFreeSpace))
            #expect(try await database.messages(patientKey: second.key).map(\.kind).contains(.clinicRefused))
            #expect(try await registrar.get("/staff/clinics/106/queue?done=cancelled").text.contains("Потерянных записей нет"))
            #expect(try await decisions(database) == ["displaced": 2, "moved|0-1h": 1, "cancelled|0-1h": 1])
        }
    }

    @Test func theQueueIsTheRegistrarsOfTheirOwnClinicsOnly() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { browser, _ in
            try await signIn(browser, "other")
            #expect(try await browser.get("/staff/clinics/106/queue").status == .forbidden)
            #expect(try await browser.get("/staff/clinics/101/queue").status == .ok)
            let head = Browser(browser.client)
            try await signIn(head, "head")
            #expect(try await head.get("/staff/clinics/106/queue").status == .forbidden)
            #expect(try await browser.get("/staff/clinics/101/queue/999999").status == .notFound)
        }
    }
}
