import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import ReferenceMIS
import Templating
import Testing
@testable import App
@testable import Web

/// Moving a booking (перенос) from the ticket, and the cabinet following what the clinic did.
@Suite("Moving an appointment")
struct MoveTests {
    /// Books the first surgeon time of clinic 101 for the signed-in patient: (doctor, slot, ticket path).
    private func bookSurgeon(_ browser: Browser) async throws -> (doctor: String, slot: String, ticket: String) {
        let (doctor, slot, _) = try await firstSurgeonTime(browser)
        return (doctor, slot, try await book(browser, doctor: doctor, slot: slot))
    }

    private func book(_ browser: Browser, doctor: String, slot: String) async throws -> String {
        let requestID = try requestID(onCheckPage: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").text)
        let confirmed = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
        #expect(confirmed.status == .seeOther)
        return try #require(confirmed.headers[.location])
    }

    /// The time buttons of a page, in order.
    private func slots(in html: String) -> [String] {
        html.ranges(of: #/name="slot" value="([0-9]+)"/#).map { String(html[$0]).filter(\.isNumber) }
    }

    /// The patient's appointments as the MIS tells them (GetPatientHistory's own source).
    private func appointments(_ mis: ReferenceMIS) async throws -> [MISAppointment] {
        try mis.history(clinic: "101", patient: try await adultOf101(mis).id)
    }

    /// «7 декабря, 10:00» on the Moscow clock, as the cabinet and the ticket write a time of clinic 101.
    private func dayAndTime(_ date: Date, _ pattern: String = "d MMMM, HH:mm") -> String {
        (try! RussianDateFormat(pattern)).string(from: date, in: TimeZone(identifier: "Europe/Moscow")!)
    }

    @Test func aBookingMovesToAnotherTimeOfItsDoctorAndTheOldTicketSaysSo() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, ticketPath) = try await bookSurgeon(browser)
            let ticket = try await browser.get(ticketPath).text
            let movePath = ticketPath + "/move"
            #expect(ticket.contains("href=\"\(movePath)\">Перенести запись</a>"))
            let move = try await browser.get(movePath)
            #expect(move.status == .ok && move.headers[.cacheControl] == "no-store")
            #expect(move.text.contains("<h1>Перенос записи</h1>") && move.text.contains("ваш врач по этой записи"))
            // The booking's own day is shown first; its own time is taken, so it is not offered.
            let offered = slots(in: move.text)
            #expect(!offered.isEmpty && !offered.contains(slot))
            let target = offered[0]
            let check = try await browser.get("\(movePath)/check?doctor=\(doctor)&slot=\(target)")
            #expect(check.status == .ok)
            #expect(check.text.contains("<dt>Было</dt>") && check.text.contains("<dt>Станет</dt>"))
            let form = ["doctor": doctor, "slot": target, "requestId": try requestID(onCheckPage: check.text)]
            let moved = try await browser.post(movePath, form)
            #expect(moved.status == .seeOther)
            let newTicket = try #require(moved.headers[.location])
            #expect(newTicket != ticketPath)
            // Sent again (a double click, going back): the same new ticket, no second move.
            #expect(try await browser.post(movePath, form).headers[.location] == newTicket)
            let fresh = try await browser.get(newTicket).text
            #expect(fresh.contains("Запись перенесена с ") && fresh.contains("<h1>Вы записаны</h1>"))
            let old = try await browser.get(ticketPath).text
            #expect(old.contains("<h1>Запись перенесена</h1>") && old.contains("href=\"\(newTicket)\">Новый талон</a>"))
            #expect(!old.contains("Перенести запись</a>"))
            // Moving the old booking again leads to the new ticket.
            #expect(try await browser.get(movePath).headers[.location] == newTicket)
            // The MIS holds exactly the new appointment; the old one was cancelled as a move.
            let held = try await appointments(mis)
            #expect(held.filter { $0.status == .active }.map(\.slotID) == [target])
            #expect(held.first { $0.slotID == slot }?.cancelReason == "перенос")
            let cabinet = try await browser.get("/cabinet").text
            #expect(cabinet.contains("Перенесена на другое время"))
            #expect(cabinet.components(separatedBy: ">Перенести</a>").count == 2)
        }
    }

    /// The first free time of the first doctor of `specialty` in clinic 101: (doctor, slot).
    private func firstTime(of specialty: String, _ browser: Browser) async throws -> (doctor: String, slot: String) {
        let list = try await browser.get("/clinics/101/specialties/\(specialty)").text
        let doctor = try #require(list.ranges(of: #//clinics/101/doctors/[0-9]+"/#).map { String(list[$0].dropLast().split(separator: "/").last!) }.first)
        let page = try await browser.get("/clinics/101/doctors/\(doctor)").text
        let day = try #require(page.ranges(of: #//days/[0-9-]+"/#).map { String(page[$0].dropLast().split(separator: "/").last!) }.first)
        let slot = try #require(slots(in: try await browser.get("/clinics/101/doctors/\(doctor)/days/\(day)").text).first)
        return (doctor, slot)
    }

    @Test func aBookingMovesToAnotherDoctorOfTheSameSpecialty() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot) = try await firstTime(of: "109", browser)
            let ticketPath = try await book(browser, doctor: doctor, slot: slot)
            let move = try await browser.get(ticketPath + "/move").text
            let others = move.ranges(of: #/\?doctor=([0-9]+)"/#).map { String(move[$0]).filter(\.isNumber) }.filter { $0 != doctor }
            #expect(others.count == 2)
            let other = try #require(others.first)
            let theirs = try await browser.get("\(ticketPath)/move?doctor=\(other)").text
            #expect(theirs.contains("ваш врач по этой записи"))
            let target = try #require(slots(in: theirs).first)
            let check = try await browser.get("\(ticketPath)/move/check?doctor=\(other)&slot=\(target)").text
            let moved = try await browser.post(ticketPath + "/move", ["doctor": other, "slot": target, "requestId": try requestID(onCheckPage: check)])
            #expect(moved.status == .seeOther)
            let active = try await appointments(mis).filter { $0.status == .active }
            #expect(active.map(\.doctorID) == [other])
            #expect(active.map(\.slotID) == [target])
        }
    }

    @Test func theRulesApplyToAMoveExceptForTheBookingBeingMoved() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, _, firstTicket) = try await bookSurgeon(browser)
            // A second surgeon booking on another day of the same doctor.
            let doctorPage = try await browser.get("/clinics/101/doctors/\(doctor)").text
            let days = doctorPage.ranges(of: #/days/([0-9-]+)"/#).map { String(doctorPage[$0]).dropFirst(5).dropLast() }
            let secondDay = try #require(days.dropFirst().first)
            let dayPage = try await browser.get("/clinics/101/doctors/\(doctor)/days/\(secondDay)").text
            let secondSlots = slots(in: dayPage)
            _ = try await book(browser, doctor: doctor, slot: try #require(secondSlots.first))
            // Moving the first booking to that other day breaks one surgeon a day: refused, with the code.
            let refused = try await browser.get("\(firstTicket)/move/check?doctor=\(doctor)&slot=\(try #require(secondSlots.last))")
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("data-refusal=\"already-booked-that-day\""))
            #expect(refused.text.contains("<h1>Перенести запись не получилось</h1>"))
            // A time of another specialty is no move at all.
            let (therapist, therapistSlot) = try await firstTime(of: "109", browser)
            let elsewhere = try await browser.get("\(firstTicket)/move/check?doctor=\(therapist)&slot=\(therapistSlot)")
            #expect(elsewhere.status == .conflict && elsewhere.text.contains("data-refusal=\"move-elsewhere\""))
            #expect(try await appointments(mis).filter { $0.status == .active }.count == 2)
        }
    }

    @Test func anotherPatientsBookingCannotBeMoved() async throws {
        try await withDemoRegion { owner, mis in
            try await identifyAdult(owner, mis)
            let (_, _, ticketPath) = try await bookSurgeon(owner)
            let stranger = Browser(owner.client)
            try await identifyAdult(stranger, mis, other: true)
            #expect(try await stranger.get(ticketPath + "/move").status == .notFound)
        }
    }

    @Test func whatTheFrontDeskDoesReachesTheCabinet() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, ticketPath) = try await bookSurgeon(browser)
            let appointment = try #require(try await appointments(mis).first { $0.slotID == slot })
            // The front desk moves it to another time of the same doctor: the ticket keeps its number, the time changes.
            let later = try #require(try mis.availableAppointments(clinic: "101", doctor: doctor, from: ProtocolTime.day(Date(), in: .current), to: ProtocolTime.day(Date().addingTimeInterval(13 * 86_400), in: .current), now: Date()).last)
            try mis.moveAtDesk(appointment: appointment.id, toSlot: later.id, reason: "Врач на учёбе", now: Date())
            let moved = try #require(try await appointments(mis).first { $0.id == appointment.id })
            #expect(moved.start == later.start && moved.status == .active)
            let cabinet = try await browser.get("/cabinet").text
            #expect(cabinet.contains(dayAndTime(later.start)))
            let ticket = try await browser.get(ticketPath).text
            #expect(ticket.contains("Талон № \(appointment.ticket ?? "")") && ticket.contains(dayAndTime(later.start, "d MMMM yyyy, HH:mm")))
            // Then it cancels it: the cabinet says the clinic did, with the reason.
            try mis.cancelAtDesk(appointment: appointment.id, reason: "Пациент позвонил в регистратуру", now: Date())
            let after = try await browser.get("/cabinet").text
            #expect(after.contains("Поликлиника отменила") && after.contains("Пациент позвонил в регистратуру"))
        }
    }

    @Test func aRescheduleMadeThroughAnotherChannelReplacesTheBookingInTheCabinet() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, ticketPath) = try await bookSurgeon(browser)
            let person = try await adultOf101(mis)
            let appointment = try #require(try await appointments(mis).first { $0.slotID == slot })
            let later = try #require(try mis.availableAppointments(clinic: "101", doctor: doctor, from: ProtocolTime.day(Date(), in: .current), to: ProtocolTime.day(Date().addingTimeInterval(13 * 86_400), in: .current), now: Date()).last)
            // The call centre reschedules it in the MIS: a new appointment replaces the old one.
            let made = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: later.id, patientID: person.id, channel: .callCentre, requestID: "phone-move-1", previousAppointmentID: appointment.id), now: Date())
            let cabinet = try await browser.get("/cabinet").text
            #expect(cabinet.contains(dayAndTime(later.start)))
            #expect(cabinet.contains("Перенесена на другое время"))
            let old = try await browser.get(ticketPath).text
            #expect(old.contains("<h1>Запись перенесена</h1>"))
            let newTicket = try #require(old.ranges(of: #//tickets/[^"/]+"/#).map { String(old[$0].dropLast()) }.first { $0 != ticketPath })
            let fresh = try await browser.get(newTicket).text
            #expect(fresh.contains("Талон № \(made.ticket ?? "")"))
        }
    }
}

/// Once signed in, a patient learns why a choice will not do where it is made, with the way forward.
@Suite("Refusals where the choice is made")
struct EarlyRefusalTests {
    /// The time buttons of a page, in order.
    private func slots(in html: String) -> [String] {
        html.ranges(of: #/name="slot" value="([0-9]+)"/#).map { String(html[$0]).filter(\.isNumber) }
    }

    @Test func aDistrictDoctorOfAnotherClinicIsRefusedOnTheCheckPageNotAfterConfirming() async throws {
        try await withDemoRegion { browser, mis in
            // One of the first two adults of clinic 101 also has a card in another general clinic (the demo gives every other adult one).
            var found: (other: Bool, clinic: String)?
            for other in [false, true] where found == nil {
                let person = try await adultOf101(mis, other: other)
                let cards = try mis.patientCards(MISPatientQuery(policy: person.policy, birthDate: person.birthDate)).map(\.clinic)
                if let clinic = cards.first(where: { !["101", "103", "105"].contains($0) }) { found = (other, clinic) }
            }
            let (which, other) = try #require(found)
            try await identifyAdult(browser, mis, other: which)
            let list = try await browser.get("/clinics/\(other)").text
            #expect(list.contains("вы прикреплены к другой — запишитесь к своему участковому врачу"))
            let doctors = try await browser.get("/clinics/\(other)/specialties/109").text
            let doctor = try #require(doctors.ranges(of: #/doctors/[0-9]+"/#).map { String(doctors[$0].dropLast().split(separator: "/").last!) }.first)
            let page = try await browser.get("/clinics/\(other)/doctors/\(doctor)").text
            let day = try #require(page.ranges(of: #//days/[0-9-]+"/#).map { String(page[$0].dropLast().split(separator: "/").last!) }.first)
            let slot = try #require(slots(in: try await browser.get("/clinics/\(other)/doctors/\(doctor)/days/\(day)").text).first)
            let check = try await browser.get("/book?clinic=\(other)&doctor=\(doctor)&slot=\(slot)")
            #expect(check.status == .conflict && check.text.contains("data-refusal=\"not-attached\""))
            #expect(check.text.contains("href=\"/me\">Ваша поликлиника и ваш участковый врач</a>"))
        }
    }

    @Test func anAdultsCardsAreWhereTheyHaveBeenNotEveryClinic() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let me = try await browser.get("/me").text
            let cards = try #require(me.components(separatedBy: "Поликлиники, где есть ваша карта").last)
            #expect(cards.contains(">Поликлиника № 1</a>") && cards.contains(">Стоматология № 5</a>"))
            #expect(!cards.contains("Детская поликлиника") && !cards.contains("Восточная поликлиника"))
        }
    }

    @Test func theOwnDistrictDoctorIsNamedAmongTheOthers() async throws {
        try await withDemoRegion { browser, mis in
            let anonymous = try await browser.get("/clinics/101/specialties/109").text
            #expect(!anonymous.contains("Ваш участковый врач") && !anonymous.contains("другого участка"))
            try await identifyAdult(browser, mis)
            let signedIn = try await browser.get("/clinics/101/specialties/109").text
            #expect(signedIn.components(separatedBy: "Ваш участковый врач.").count == 2)
            #expect(signedIn.contains("Врач другого участка; ваш участок — №"))
        }
    }

    @Test func aSecondTimeOfASpecialtyThatDayNamesTheBookingAndOffersToMoveIt() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, dayPath) = try await firstSurgeonDay(browser)
            let times = slots(in: try await browser.get(dayPath).text)
            let requestID = try requestID(onCheckPage: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(times[0])").text)
            let ticket = try #require(try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": times[0], "requestId": requestID]).headers[.location])
            let second = try #require(times.dropFirst().first)
            let refused = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(second)")
            #expect(refused.status == .conflict && refused.text.contains("data-refusal=\"already-booked-that-day\""))
            #expect(refused.text.contains("Ваша запись на этот день:") && refused.text.contains("href=\"\(ticket)\">Открыть талон</a>"))
            let moveHere = "\(ticket)/move/check?doctor=\(doctor)&amp;slot=\(second)"
            #expect(refused.text.contains("href=\"\(moveHere)\">Перенести её на выбранное время</a>"))
            let move = try await browser.get(moveHere.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(move.status == .ok && move.text.contains("<dt>Станет</dt>"))
        }
    }
}

/// Booking by referral (направление): the check page asks for its number, the MIS checks it, it is used once.
@Suite("Booking by referral")
struct ReferralTests {
    /// A demo referral of clinic 101: (policy, birth date, number, specialty, referral valid or expired).
    private func referral(_ mis: ReferenceMIS, expired: Bool) throws -> (policy: String, birthDate: String, number: String, specialty: String) {
        let referral = try #require(try DemoGuide(mis).referrals(clinic: "101", expired: expired, now: Date()).first)
        return (referral.holder.policy, referral.holder.birthDate, referral.number, referral.specialty)
    }

    /// The specialty's free times in clinic 101 on two different days: [(doctor, slot, day)].
    private func times(_ specialty: String, _ browser: Browser) async throws -> [(doctor: String, slot: String, day: String)] {
        let list = try await browser.get("/clinics/101/specialties/\(specialty)").text
        var found: [(String, String, String)] = []
        for doctor in list.ranges(of: #//clinics/101/doctors/[0-9]+"/#).map({ String(list[$0].dropLast().split(separator: "/").last!) }) {
            let page = try await browser.get("/clinics/101/doctors/\(doctor)").text
            for day in page.ranges(of: #//days/[0-9-]+"/#).map({ String(page[$0].dropLast().split(separator: "/").last!) }) where !found.contains(where: { $0.2 == day }) {
                let html = try await browser.get("/clinics/101/doctors/\(doctor)/days/\(day)").text
                if let slot = html.ranges(of: #/name="slot" value="([0-9]+)"/#).map({ String(html[$0]).filter(\.isNumber) }).first { found.append((doctor, slot, day)) }
                if found.count == 2 { return found }
            }
        }
        return found
    }

    private func confirm(_ browser: Browser, _ time: (doctor: String, slot: String, day: String), referral: String) async throws -> TestResponse {
        let check = try await browser.get("/book?clinic=101&doctor=\(time.doctor)&slot=\(time.slot)&day=\(time.day)")
        #expect(check.status == .ok && check.text.contains("<label for=\"referral\">Номер направления</label>"))
        return try await browser.post("/book", ["clinic": "101", "doctor": time.doctor, "slot": time.slot, "day": time.day, "requestId": try requestID(onCheckPage: check.text), "referral": referral])
    }

    @Test func aValidReferralBooksOnceAndIsThenUsed() async throws {
        try await withDemoRegion { browser, mis in
            let held = try referral(mis, expired: false)
            try await identify(browser, policy: held.policy, birthDate: held.birthDate)
            let open = try await times(held.specialty, browser)
            try #require(open.count == 2)
            let booked = try await confirm(browser, open[0], referral: " \(held.number) ")
            #expect(booked.status == .seeOther && booked.headers[.location]?.hasPrefix("/tickets/") == true)
            // The MIS marked it used: a second booking with it is refused, saying so.
            let again = try await confirm(browser, open[1], referral: held.number)
            #expect(again.status == .unprocessableContent && again.text.contains("data-refusal=\"referral-used\""))
            #expect(again.text.contains("По этому направлению уже есть запись"))
        }
    }

    @Test func aReferralTypedAsPeopleWriteItBooksAndACancellationGivesItBack() async throws {
        try await withDemoRegion { browser, mis in
            // Given a referral printed as «101-000001», typed with digits alone (a kiosk's keypad) or with an en dash
            let held = try referral(mis, expired: false)
            try await identify(browser, policy: held.policy, birthDate: held.birthDate)
            let open = try await times(held.specialty, browser)
            try #require(open.count == 2)
            let booked = try await confirm(browser, open[0], referral: held.number.filter(\.isNumber))
            #expect(booked.status == .seeOther, "\(booked.text.prefix(2_000))")
            let ticket = try #require(booked.headers[.location])
            // When that booking is cancelled
            let requestID = String(ticket.dropFirst("/tickets/".count))
            #expect(try await browser.post("/tickets/\(requestID)/cancel", ["reason": ""]).status == .seeOther)
            // Then the referral books again, typed another way
            let again = try await confirm(browser, open[1], referral: held.number.replacingOccurrences(of: "-", with: " – "))
            #expect(again.status == .seeOther && again.headers[.location]?.hasPrefix("/tickets/") == true, "\(again.text.prefix(2_000))")
        }
    }

    @Test func anExpiredOrUnknownReferralIsRefusedWithTheWayForward() async throws {
        try await withDemoRegion { browser, mis in
            let old = try referral(mis, expired: true)
            try await identify(browser, policy: old.policy, birthDate: old.birthDate)
            let open = try await times(old.specialty, browser)
            let time = try #require(open.first)
            let expired = try await confirm(browser, time, referral: old.number)
            #expect(expired.status == .unprocessableContent && expired.text.contains("data-refusal=\"referral-expired\""))
            // Someone else's number is not found for this patient.
            let someoneElses = try referral(mis, expired: false)
            let foreign = try await confirm(browser, time, referral: someoneElses.number)
            #expect(foreign.status == .unprocessableContent && foreign.text.contains("data-refusal=\"referral-not-found\""))
        }
    }
}
