import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import Synchronization
import Testing
@testable import App
@testable import PatientChannel
@testable import Web

/// The rest of the patient's area: rules read with the registry's own clock, the dispensary rule,
/// search, clinic-side cancellations, outages, lapsed sessions, contacts and the start page.
@Suite("Patient area")
struct PatientAreaTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        private let date: Mutex<Date>

        init(_ date: Date = Date()) {
            self.date = Mutex(date)
        }

        var now: Date { date.withLock { $0 } }

        func set(_ value: Date) {
            date.withLock { $0 = value }
        }
    }

    /// A free surgeon's time in clinic 101 at least a day ahead: (doctor, slot, start).
    private func surgeonSlotTomorrow(_ mis: ReferenceMIS) async throws -> (doctor: String, slot: String, start: Date) {
        let time = try #require(try DemoGuide(mis).freeTimes(clinic: "101", specialty: "113", after: Date().addingTimeInterval(24 * 3_600)).first)
        return (time.doctor, time.slot, time.start)
    }

    @Test func theLeadTimeIsReadWithTheRegistrysClock() async throws {
        let clock = TestClock()
        try await withDemoRegion(now: { clock.now }) { browser, mis in
            let (doctor, slot, start) = try await surgeonSlotTomorrow(mis)
            let check = "/book?clinic=101&doctor=\(doctor)&slot=\(slot)"
            // The registry's one clock also ages the session: the patient signs in at the clock's time.
            clock.set(start.addingTimeInterval(-(2 * 3_600 + 59 * 60)))
            try await identifyAdult(browser, mis)
            let tooSoon = try await browser.get(check)
            #expect(tooSoon.status == .conflict)
            #expect(tooSoon.text.contains("data-refusal=\"too-soon\""))
            #expect(tooSoon.text.contains("не позднее чем за 3 часа до приёма"))
            clock.set(start.addingTimeInterval(-(3 * 3_600 + 60)))
            let allowed = try await browser.get(check)
            #expect(allowed.status == .ok)
            let booked = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": try requestID(onCheckPage: allowed.text)])
            #expect(booked.status == .seeOther)
            #expect(booked.headers[.location]?.hasPrefix("/tickets/") == true)
        }
    }

    @Test func dispensarySpecialtiesAreForRegisteredPatients() async throws {
        try await withDemoRegion { browser, mis in
            // A dispensary specialist of clinic 101 with a free time, a registered adult, and an adult who is not.
            let guide = DemoGuide(mis)
            var found: (specialty: String, doctor: String, slot: String, registered: (String, String), other: (String, String))?
            for specialty in try mis.specialties(clinic: "101", now: Date()) where specialty.selfBooking == .dispensary && found == nil {
                let adult = DemoGuide.Wanted(cardIn: "101", adult: true, policy: .unified, hasNamesake: false)
                var registered = adult, other = adult
                registered.registeredFor = specialty.id
                other.notRegisteredFor = specialty.id
                if let time = try guide.freeTimes(clinic: "101", specialty: specialty.id, after: Date().addingTimeInterval(6 * 3_600)).first,
                   let registered = try guide.people(registered).first, let other = try guide.people(other).first {
                    found = (specialty.id, time.doctor, time.slot, (registered.policy, registered.birthDate), (other.policy, other.birthDate))
                }
            }
            let case_ = try #require(found)
            let check = "/book?clinic=101&doctor=\(case_.doctor)&slot=\(case_.slot)"

            try await identify(browser, policy: case_.other.0, birthDate: case_.other.1)
            // Not registered: the check page asks for a referral, and without one the booking is refused.
            let asked = try await browser.get(check)
            #expect(asked.status == .ok && asked.text.contains("<label for=\"referral\">Номер направления</label>"))
            let requestID = try requestID(onCheckPage: asked.text)
            let slot = String(check.split(separator: "=").last!)
            let refused = try await browser.post("/book", ["clinic": "101", "doctor": case_.doctor, "slot": slot, "requestId": requestID])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Укажите номер направления"))
            let wrong = try await browser.post("/book", ["clinic": "101", "doctor": case_.doctor, "slot": slot, "requestId": requestID, "referral": "101-999999"])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("data-refusal=\"referral-not-found\""))
            #expect(try await browser.get("/clinics/101").text.contains("остальным нужно направление"))

            let registered = Browser(browser.client)
            try await identify(registered, policy: case_.registered.0, birthDate: case_.registered.1)
            let allowed = try await registered.get(check)
            #expect(allowed.status == .ok)
            #expect(allowed.text.contains("<h1>Проверьте запись</h1>"))
            #expect(try await registered.get("/clinics/101").text.contains("Вы состоите на диспансерном учёте у этого специалиста"))
        }
    }

    @Test func clinicsAndDoctorsAreFoundByWhatPatientsRemember() async throws {
        try await withDemoRegion { browser, mis in
            let home = try await browser.get("/").text
            #expect(home.contains("action=\"/search/clinics\"") && home.contains("action=\"/search/doctors\""))

            let byStreet = try await browser.get("/search/clinics?q=" + "ленина".urlQueryEncoded).text
            #expect(byStreet.contains("href=\"/clinics/101\""))
            #expect(!byStreet.contains("href=\"/clinics/102\""))
            let byName = try await browser.get("/search/clinics?q=" + "детская".urlQueryEncoded).text
            #expect(byName.contains("href=\"/clinics/103\"") && !byName.contains("href=\"/clinics/101\""))
            #expect(try await browser.get("/search/clinics?q=zzzz").text.contains("Ничего не найдено"))

            let first = try #require(try mis.doctors(clinic: "101", specialty: "113", now: Date()).first)
            let doctor = (first.id, "101", first.name)
            let surname = String(doctor.2.split(separator: " ")[0]).lowercased().replacingOccurrences(of: "ё", with: "е")
            let bySurname = try await browser.get("/search/doctors?q=" + surname.urlQueryEncoded).text
            #expect(bySurname.contains("href=\"/clinics/\(doctor.1)/doctors/\(doctor.0)\""))

            let surgeons = try await browser.get("/search/doctors?q=" + "хирург".urlQueryEncoded).text
            let surgeon = try #require(try mis.doctors(clinic: "101", specialty: "113", now: Date()).first).id
            let therapist = try #require(try mis.doctors(clinic: "101", specialty: "109", now: Date()).first).id
            #expect(surgeons.contains("/doctors/\(surgeon)\""))
            #expect(!surgeons.contains("/doctors/\(therapist)\""))
            #expect(surgeons.contains("Найдено:"))
        }
    }

    @Test func appointmentsTheClinicCancelsShowInTheCabinet() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, start) = try await surgeonSlotTomorrow(mis)
            let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            let requestID = try requestID(onCheckPage: check.text)
            _ = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            #expect(try await browser.get("/cabinet").text.contains("href=\"/tickets/\(requestID)/cancel\""))

            // The doctor falls ill: the clinic closes the day in its MIS, which logs the change. A
            // booking made online is not silently cancelled: it waits for the registrar to move or cancel it.
            let day = ProtocolTime.day(start, in: TimeZone(identifier: "Europe/Moscow")!)
            try mis.cancelDoctorDay(doctor: doctor, day: day, reason: "врач заболел", now: Date())
            var cabinet = try await browser.get("/cabinet").text
            #expect(cabinet.contains("Поликлиника закрыла время приёма"))
            #expect(cabinet.contains("врач заболел") && cabinet.contains("Регистратура перенесёт запись"))
            var ticket = try await browser.get("/tickets/\(requestID)").text
            #expect(ticket.contains("Приём в это время не состоится") && !ticket.contains("Вы записаны"))

            // The registrar cancels it in the MIS at the desk: the cabinet says the clinic cancelled it.
            let appointment = try #require(try mis.reservations(clinic: "101").first { $0.appointment.slotID == slot }).appointment.id
            try mis.cancelAtDesk(appointment: appointment, reason: "врач на больничном всю неделю", now: Date())
            cabinet = try await browser.get("/cabinet").text
            #expect(cabinet.contains("Поликлиника отменила"))
            #expect(cabinet.contains("врач на больничном всю неделю"))
            #expect(!cabinet.contains("href=\"/tickets/\(requestID)/cancel\""))
            ticket = try await browser.get("/tickets/\(requestID)").text
            #expect(ticket.contains("Поликлиника отменила эту запись: врач на больничном всю неделю"))
        }
    }

    @Test func anOutageKeepsThePatientsPlace() async throws {
        let database = try AppDatabase.inMemory()
        try await withRegistry(database: database) { client in
            // Browsing: a clear page that offers the same address again.
            let districts = try await client.execute(uri: "/districts", method: .get) { $0 }
            #expect(districts.status == .serviceUnavailable)
            #expect(districts.headers[.retryAfter] == "30")
            #expect(districts.text.contains("href=\"/districts\"") && districts.text.contains("Попробовать ещё раз"))

            // Identification: the form comes back filled in.
            let browser = Browser(client)
            _ = try await browser.get("/identify")
            let identify = try await browser.post("/identify", ["policy": "7700 0000 0000 0008", "birthDate": "01.01.1990"])
            #expect(identify.status == .serviceUnavailable)
            #expect(identify.text.contains("Поликлиники сейчас не отвечают"))
            #expect(identify.text.contains("value=\"7700 0000 0000 0008\""))

            // Confirmation: the same confirmation is ready to be sent again.
            try await signIn(browser, database)
            let confirm = try await browser.post("/book", ["clinic": "101", "doctor": "7", "slot": "123", "requestId": "0123456789abcdef0123", "phone": "+7 912 345-67-89", "consent": "yes"])
            #expect(confirm.status == .serviceUnavailable)
            #expect(confirm.text.contains("Повторить запись"))
            #expect(confirm.text.contains("name=\"requestId\" value=\"0123456789abcdef0123\""))
            #expect(confirm.text.contains("name=\"phone\" value=\"+7 912 345-67-89\""))
            // A referral number typed for the confirmation goes with the retry too.
            let withReferral = try await browser.post("/book", ["clinic": "101", "doctor": "7", "slot": "123", "requestId": "0123456789abcdef0124", "referral": " 101-000007 "])
            #expect(withReferral.status == .serviceUnavailable)
            #expect(withReferral.text.contains("name=\"referral\" value=\"101-000007\""))
            #expect(!confirm.text.contains("name=\"referral\""))
        }
    }

    @Test func aConfirmationWhoseAnswerWasLostIsAskedAgainNotRepeated() async throws {
        let database = try AppDatabase.inMemory()
        try await withDemoRegion(database: database) { browser, mis in
            try await identifyAdult(browser, mis)
            let person = try await adultOf101(mis)
            let (doctor, slot, start) = try await surgeonSlotTomorrow(mis)
            let requestID = try requestID(onCheckPage: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").text)
            // The registry asked, the MIS booked, and the answer was lost: the ledger says pending.
            _ = try await database.beginBooking(LedgerEntry(
                requestID: requestID, patientKey: AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate), clinicID: "101", slotID: slot,
                misPatientID: person.id, clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12", clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow",
                federalCode: "92", specialtyName: "Хирург", doctorName: "—", room: "—", start: start, end: start.addingTimeInterval(900),
                day: ProtocolTime.day(start, in: TimeZone(identifier: "Europe/Moscow")!), status: .pending, channel: "internet", createdAt: Date()
            ))
            let made = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: person.id, channel: .internet, requestID: requestID), now: Date())

            // Pressing the button again finishes that same booking rather than finding the time "taken".
            let again = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            #expect(again.status == .seeOther)
            #expect(again.headers[.location] == "/tickets/\(requestID)")
            #expect(try await browser.get("/tickets/\(requestID)").text.contains("Талон № \(made.ticket ?? "-")"))
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
        }
    }

    @Test func aLapsedSessionSaysWhyAndLeadsBack() async throws {
        let database = try AppDatabase.inMemory()
        try await withRegistry(database: database) { client in
            let lapsed = Browser(client)
            try await signIn(lapsed, database, at: Date().addingTimeInterval(-3_600))
            let cabinet = try await lapsed.get("/cabinet")
            #expect(cabinet.status == .seeOther)
            #expect(cabinet.headers[.location] == "/identify?next=%2Fcabinet&expired=1")
            #expect(lapsed.cookies["session"] == nil)
            #expect(try await lapsed.get(cabinet.headers[.location]!).text.contains("Сеанс завершён"))

            let live = Browser(client)
            try await signIn(live, database)
            let page = try await live.get("/cabinet")
            #expect(page.status == .ok)
            #expect(page.text.contains("data-idle-seconds=\"900\" data-warning-seconds=\"120\""))
            #expect(page.text.contains("<script src=\"/js/session.js"))
            #expect(page.text.contains("Вы вошли: Анна К. — "))
            #expect(!page.text.contains("К.."), "the name's initial ends the sentence only once")
            #expect(page.text.contains("<section class=\"session-bar no-print\" aria-label=\"Ваш сеанс\">"), "the bar is a landmark of its own")
            let home = try await live.get("/")
            #expect(home.headers[.cacheControl] == "no-store")
            #expect(try await live.get("/session").status == .noContent)

            let anonymous = try await client.execute(uri: "/", method: .get) { $0 }
            #expect(anonymous.headers[.cacheControl] == "no-cache")
            #expect(!anonymous.text.contains("session.js"))
            #expect(try await client.execute(uri: "/session", method: .get) { $0 }.status == .unauthorized)
        }
    }

    @Test func contactsAreKeptOnlyWithConsentAndCanBeWithdrawn() async throws {
        let database = try AppDatabase.inMemory()
        try await withRegistry(database: database) { client in
            let browser = Browser(client)
            let key = try await signIn(browser, database)
            #expect(try await browser.get("/cabinet/contact").status == .ok)
            let noConsent = try await browser.post("/cabinet/contact", ["phone": "8 (912) 345-67-89"])
            #expect(noConsent.status == .unprocessableContent)
            #expect(noConsent.text.contains("отметьте согласие"))
            let badPhone = try await browser.post("/cabinet/contact", ["phone": "12345", "consent": "yes"])
            #expect(badPhone.status == .unprocessableContent)
            #expect(badPhone.text.contains("мобильный номер"))
            #expect(try database.contact(patientKey: key) == nil)

            let saved = try await browser.post("/cabinet/contact", ["phone": "8 (912) 345-67-89", "email": "anna@example.ru", "consent": "yes"])
            #expect(saved.status == .seeOther)
            #expect(try database.contact(patientKey: key)?.phone == "+7 912 345-67-89")
            let cabinet = try await browser.get("/cabinet").text
            #expect(cabinet.contains("Сохранены телефон +7 912 345-67-89 и почта anna@example.ru") && cabinet.contains("На них приходят талоны") && cabinet.contains("/cabinet/messages"))

            _ = try await browser.post("/cabinet/contact", ["withdraw": "yes"])
            #expect(try database.contact(patientKey: key) == nil)
            #expect(try await browser.get("/cabinet").text.contains("Вы не оставляли контактов"))
        }
    }

    @Test func afterIdentificationTheDistrictDoctorIsOneClickAway() async throws {
        try await withDemoRegion { browser, mis in
            let person = try await adultOf101(mis)
            _ = try await browser.get("/identify")
            let identified = try await browser.post("/identify", ["policy": person.policy, "birthDate": person.birthDate])
            #expect(identified.headers[.location] == "/me")
            let me = try await browser.get("/me").text
            let district = try #require(try DemoGuide(mis).people(.adult(of: "101")).first?.district)
            let districtDoctor = try #require(try mis.doctors(clinic: "101", specialty: "109", now: Date()).first { $0.district == district }).id
            let child = try mis.doctors(clinic: "101", specialty: "110", now: Date()).first { $0.district == district }?.id
            #expect(me.contains("Ваша поликлиника"))
            #expect(me.contains("href=\"/clinics/101\""))
            #expect(me.contains("href=\"/clinics/101/doctors/\(districtDoctor)\""))
            if let child { #expect(!me.contains("href=\"/clinics/101/doctors/\(child)\"")) }
            #expect(me.contains("Поликлиники, где есть ваша карта"))
        }
    }

    /// Puts an identified session (Анна К., a card in clinic 101) straight into the registry's
    /// database and gives `browser` its cookies; returns the patient key.
    @discardableResult
    private func signIn(_ browser: Browser, _ database: AppDatabase, at time: Date = Date()) async throws -> String {
        let session = CSRF.randomToken()
        let csrf = CSRF.randomToken()
        let key = AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1990-01-01")
        let patient = IdentifiedPatient(key: key, displayName: "Анна К.", birthDate: "1990-01-01", cards: ["101": ClinicCard(patientID: "P1", attachedClinicID: "101", attachedDistrict: "1")])
        try await database.identify(session: "", as: session, csrfToken: csrf, patient: patient, now: time)
        browser.cookies["session"] = session
        browser.formToken = csrf
        return key
    }

    @Test func theHeaderSignsInFromAnyPageAndBackAndSignsOut() async throws {
        try await withDemoRegion { browser, mis in
            let clinic = try await browser.get("/clinics/101").text
            #expect(clinic.contains("<a href=\"/identify?next=%2Fclinics%2F101\">Войти</a>"))
            // A kept doctor's page names its own address too.
            let (_, dayPath) = try await firstSurgeonDay(browser)
            for _ in 0..<2 {
                #expect(try await browser.get(dayPath).text.contains("href=\"/identify?next=\(dayPath.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)\">Войти</a>"))
            }
            // The identification form itself offers no way back to itself.
            #expect(try await browser.get("/identify").text.contains("<a href=\"/identify\">Войти</a>"))
            let person = try await adultOf101(mis)
            _ = try await browser.get("/identify?next=%2Fclinics%2F101")
            let signedIn = try await browser.post("/identify", ["policy": person.policy, "birthDate": person.birthDate, "next": "/clinics/101"])
            #expect(signedIn.headers[.location] == "/clinics/101")
            let again = try await browser.get("/clinics/101").text
            #expect(again.contains(">Выйти</button>") && !again.contains(">Войти</a>") && again.contains("Вы вошли: "))
            let out = try await browser.post("/logout", [:])
            #expect(out.status == .seeOther)
            let after = try await browser.get("/clinics/101").text
            #expect(after.contains(">Войти</a>") && !after.contains("Вы вошли"))
        }
    }
}
