import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import Testing
@testable import App
@testable import Web

/// The booking journey through a live reference MIS: identify, choose a time, check, confirm, ticket.
@Suite("Booking")
struct BookTests {
    @Test func fromATimeToATicketAndAResentConfirmationBooksOnce() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, page) = try await firstSurgeonTime(browser)
            #expect(page.range(of: "aria-label=\"(понедельник|вторник|среда|четверг|пятница|суббота|воскресенье), \\d{1,2} [а-я]+, \\d\\d:\\d\\d\"", options: .regularExpression) != nil)
            let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            let html = String(buffer: check.body)
            #expect(check.status == .ok)
            #expect(html.contains("<h1>Проверьте запись</h1>"))
            #expect(check.headers[.cacheControl] == "no-store")
            let requestID = try #require(html.range(of: "name=\"requestId\" value=\"[0-9a-f]+\"", options: .regularExpression).map { String(html[$0]).components(separatedBy: "\"")[3] })
            let form = ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID]
            let confirmed = try await browser.post("/book", form)
            #expect(confirmed.status == .seeOther)
            let ticketPath = try #require(confirmed.headers[.location])
            let again = try await browser.post("/book", form)
            #expect(again.headers[.location] == ticketPath)
            let ticket = String(buffer: try await browser.get(ticketPath).body)
            #expect(ticket.contains("Талон № 101-"))
            let calendar = try await browser.get(ticketPath + "/calendar.ics")
            #expect(calendar.status == .ok)
            #expect(calendar.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(String(buffer: calendar.body).contains("BEGIN:VEVENT"))
            #expect(try await Browser(browser.client).get(ticketPath + "/calendar.ics").status == .notFound)
            #expect(ticket.contains("Приходите за 15 минут"))
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
        }
    }

    @Test func aTimeBookedHereLeavesTheDaysPageAtOnceForEveryVisitor() async throws {
        try await withDemoRegion { patient, mis in
            let visitor = Browser(patient.client)
            let (doctor, dayPath) = try await firstSurgeonDay(visitor)
            let (_, slot, _) = try await firstSurgeonTime(visitor)
            // A visitor who is not signed in sees the same page again; a signed-in patient sees their own.
            let kept = try await visitor.get(dayPath)
            #expect(kept.status == .ok && kept.headers[.cacheControl] == "no-cache")
            #expect(kept.text.contains("value=\"\(slot)\"") && !kept.text.contains("Вы вошли"))
            try await identifyAdult(patient, mis)
            let own = try await patient.get(dayPath)
            #expect(own.text.contains("Вы вошли") && own.headers[.cacheControl] == "no-store")
            // The patient books that time: it is gone from the page at once, for them and for the visitor.
            let requestID = try requestID(onCheckPage: try await patient.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").text)
            #expect(try await patient.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID]).status == .seeOther)
            #expect(!(try await visitor.get(dayPath).text.contains("value=\"\(slot)\"")))
            #expect(!(try await patient.get(dayPath).text.contains("value=\"\(slot)\"")))
        }
    }

    @Test func theDayOfATimeTravelsWithItAndAWrongDayStillFindsIt() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, dayPath) = try await firstSurgeonDay(browser)
            let day = String(dayPath.split(separator: "/").last!)
            let page = try await browser.get(dayPath).text
            #expect(page.contains("<input type=\"hidden\" name=\"day\" value=\"\(day)\">"))
            let slots = page.ranges(of: #/name="slot" value="([0-9]+)"/#).map { String(page[$0]).filter(\.isNumber) }
            // The check page carries the day on to the confirmation.
            let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slots[0])&day=\(day)").text
            #expect(check.contains("<input type=\"hidden\" name=\"day\" value=\"\(day)\">"))
            let booked = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slots[0], "day": day, "requestId": try requestID(onCheckPage: check)])
            #expect(booked.status == .seeOther && booked.headers[.location]?.hasPrefix("/tickets/") == true)
            // A day that is not the time's (or no day at all) costs a longer look, not the booking.
            let other = Browser(browser.client)
            try await identifyAdult(other, mis, other: true)
            let wrongDay = try await other.get("/book?clinic=101&doctor=\(doctor)&slot=\(slots[1])&day=2020-01-01")
            #expect(wrongDay.status == .ok && wrongDay.text.contains("<h1>Проверьте запись</h1>"))
            #expect(try await other.get("/book?clinic=101&doctor=\(doctor)&slot=\(slots[1])&day=%3Cx%3E").status == .ok)
        }
    }

    @Test func choosingATimeFirstAsksWhoYouAre() async throws {
        try await withDemoRegion { browser, _ in
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let response = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            #expect(response.status == .seeOther || response.status == .found)
            #expect(response.headers[.location]?.hasPrefix("/identify?next=%2Fbook") == true)
            // The form says what is being booked, so that the patient does not lose the thread.
            let form = try await browser.get(try #require(response.headers[.location])).text
            #expect(form.contains("Вы выбрали: Хирург,"))
            #expect(form.contains("После входа вы вернётесь к этой записи."))
        }
    }

    @Test func aTimeTakenMeanwhileOffersTheNearestOthers() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let someoneElse = try await adultOf101(mis, other: true).id
            _ = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: someoneElse, channel: .callCentre, requestID: "elsewhere"), now: Date())
            let response = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            let html = String(buffer: response.body)
            #expect(response.status == .conflict)
            #expect(html.contains("data-refusal=\"slot-taken\""))
            #expect(html.contains("Ближайшее свободное время"))
            #expect(!html.contains("value=\"\(slot)\""))
        }
    }

    @Test func aTimeTakenAfterTheCheckPageIsRefusedWithOthersOffered() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let requestID = try requestID(onCheckPage: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").text)
            _ = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: try await adultOf101(mis, other: true).id, channel: .callCentre, requestID: "phone-call"), now: Date())
            let response = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            #expect(response.status == .conflict)
            #expect(response.text.contains("data-refusal=\"slot-taken\""))
            #expect(response.text.contains("Ближайшее свободное время"))
            #expect(!response.text.contains("value=\"\(slot)\""))
        }
    }

    @Test func aSecondTimeWithTheSameSpecialtyThatDayIsRefused() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            // Two free surgeon times on one day, both past the three-hour lead time.
            let pair = try DemoGuide(mis).twoTimesOnOneDay(clinic: "101", specialty: "113", after: Date().addingTimeInterval(3 * 3_600 + 300))
                .map { ($0.slot, $0.doctor) }
            try #require(pair.count == 2 && pair[0].1 == pair[1].1)
            let doctor = pair[0].1
            let check = String(buffer: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(pair[0].0)").body)
            let requestID = try #require(check.range(of: "name=\"requestId\" value=\"[0-9a-f]+\"", options: .regularExpression).map { String(check[$0]).components(separatedBy: "\"")[3] })
            let booked = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": pair[0].0, "requestId": requestID])
            #expect(booked.status == .seeOther)
            let second = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(pair[1].0)")
            #expect(second.status == .conflict)
            #expect(String(buffer: second.body).contains("data-refusal=\"already-booked-that-day\""))
        }
    }

    @Test func remindersNeedConsent() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let check = String(buffer: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").body)
            let requestID = check.range(of: "name=\"requestId\" value=\"[0-9a-f]+\"", options: .regularExpression).map { String(check[$0]).components(separatedBy: "\"")[3] }!
            let response = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID, "phone": "+79161234567"])
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("отметьте согласие"))
            #expect(String(buffer: response.body).contains("value=\"+7 916 123-45-67\""))
        }
    }

    @Test func ticketsAreShownOnlyToTheirPatient() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let check = String(buffer: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").body)
            let requestID = check.range(of: "name=\"requestId\" value=\"[0-9a-f]+\"", options: .regularExpression).map { String(check[$0]).components(separatedBy: "\"")[3] }!
            let ticketPath = try #require(try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID]).headers[.location])
            // Someone without a session is asked to identify, and sees nothing of the ticket.
            let anonymous = try await Browser(browser.client).get(ticketPath)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/identify?next=") == true)
            #expect(!anonymous.text.contains(doctor))
            // Another identified patient finds nothing there, nor its calendar file.
            let stranger = Browser(browser.client)
            try await identifyAdult(stranger, mis, other: true)
            #expect(try await stranger.get(ticketPath).status == .notFound)
            #expect(try await stranger.get(ticketPath + "/calendar.ics").status == .notFound)
            #expect(try await browser.get(ticketPath).status == .ok)
        }
    }

    @Test func theTicketNamesThePatientTheClinicsTimeAndOffersToPrint() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let requestID = try requestID(onCheckPage: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").text)
            _ = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            let ticket = try await browser.get("/tickets/\(requestID)").text
            #expect(ticket.contains("<dt>Пациент</dt><dd>") && !ticket.contains("<dd>.</dd>"))
            #expect(ticket.contains("(московское время)"))
            // The print button needs a script, so it is hidden until the script shows it.
            #expect(ticket.contains("data-print hidden>Распечатать талон</button>"))
            #expect(ticket.contains("<script src=\"/js/print.js"))
            #expect(try await browser.get("/js/print.js").status == .ok)
        }
    }

    @Test func zoneNotesReckonAgainstMoscow() {
        let winter = Date(timeIntervalSince1970: 1_795_413_600)
        #expect(ZoneNote.describe("Europe/Moscow", at: winter) == "московское время")
        #expect(ZoneNote.describe("Asia/Yekaterinburg", at: winter) == "МСК+2, Екатеринбург")
        #expect(ZoneNote.describe("Europe/Kaliningrad", at: winter) == "МСК−1, Калининград")
        #expect(ZoneNote.describe("Asia/Kamchatka", at: winter) == "МСК+9, Петропавловск-Камчатский")
        #expect(ZoneNote.describe("Nowhere/Else", at: winter) == "время поликлиники")
    }

    @Test func theCabinetListsTicketsAndCancelsBehindAConfirmation() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let check = String(buffer: try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)").body)
            let requestID = try #require(check.range(of: "name=\"requestId\" value=\"[0-9a-f]+\"", options: .regularExpression).map { String(check[$0]).components(separatedBy: "\"")[3] })
            _ = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            let cabinet = String(buffer: try await browser.get("/cabinet").body)
            #expect(cabinet.contains("<h1>Мои записи</h1>"))
            #expect(cabinet.contains("href=\"/tickets/\(requestID)/cancel\""))
            let confirm = try await browser.get("/tickets/\(requestID)/cancel")
            #expect(String(buffer: confirm.body).contains("<h1>Отменить запись?</h1>"))
            let cancelled = try await browser.post("/tickets/\(requestID)/cancel", ["reason": "не смогу прийти"])
            #expect(cancelled.status == .seeOther)
            // The cabinet it leads to says at the top that the cancellation worked.
            let landing = try #require(cancelled.headers[.location])
            #expect(landing == "/cabinet?cancelled=\(requestID)")
            let confirmed = try await browser.get(landing).text
            #expect(confirmed.contains("role=\"status\"") && confirmed.contains("Запись отменена:"))
            // Going back to the form and sending it again leads to the ticket that says so, not to "not found".
            let again = try await browser.post("/tickets/\(requestID)/cancel", ["reason": "не смогу прийти"])
            #expect(again.status == .seeOther && again.headers[.location] == "/tickets/\(requestID)")
            #expect(try await browser.get("/tickets/\(requestID)/cancel").headers[.location] == "/tickets/\(requestID)")
            let after = String(buffer: try await browser.get("/cabinet").body)
            #expect(after.contains("Отменена вами: не смогу прийти"))
            #expect(!after.contains("Запись отменена:"), "said once, right after cancelling")
            #expect(!after.contains("href=\"/tickets/\(requestID)/cancel\""))
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.cancelled])
            // A cancellation link someone else follows finds nothing.
            let stranger = Browser(browser.client)
            try await identifyAdult(stranger, mis, other: true)
            #expect(try await stranger.get("/tickets/\(requestID)/cancel").status == .notFound)
            // The ticket itself now says it is cancelled, and by whom.
            let ticket = try await browser.get("/tickets/\(requestID)").text
            #expect(ticket.contains("<h1>Запись отменена</h1>") && ticket.contains("Вы отменили эту запись: не смогу прийти"))
        }
    }
}

/// What the attack on the running system found lost: a contact given at booking, an answer the bridge
/// reads only in part, a burst of copies of one confirmation.
@Suite("Booking: nothing lost")
struct BookingNothingLostTests {
    /// Opens the check page of the first surgeon time for `browser`: (doctor, slot, request id).
    private func checkPage(_ browser: Browser) async throws -> (doctor: String, slot: String, requestID: String) {
        let (doctor, slot, _) = try await firstSurgeonTime(browser)
        let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
        #expect(check.status == .ok)
        return (doctor, slot, try requestID(onCheckPage: check.text))
    }

    @Test func contactsGivenOnTheCheckPageGetThatBookingsTicket() async throws {
        let database = try AppDatabase.inMemory()
        try await withDemoRegion(database: database) { browser, mis in
            // Given a patient with no contact saved, who leaves one on the check page
            try await identifyAdult(browser, mis)
            let (doctor, slot, requestID) = try await checkPage(browser)
            // When they confirm
            let confirmed = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID,
                                                             "email": "anna@example.ru", "phone": "+7 912 345-67-89", "consent": "yes"])
            #expect(confirmed.status == .seeOther)
            // Then the ticket goes to both
            let key = try #require(try await database.booking(requestID: requestID)).patientKey
            let tickets = try await database.messages(patientKey: key).filter { $0.kind == .booked && $0.requestID == requestID }
            #expect(Set(tickets.map(\.channel)) == [.email, .sms])
        }
    }

    @Test func anAnswerWithANameTheBridgeRefusesStillRecordsAndShowsTheBooking() async throws {
        // Given a MIS whose booking answers carry a line break in the doctor's name and the ticket
        let breakNames: @Sendable (String) -> String = { answer in
            guard answer.contains("operation=\"SetAppointment\"") else { return answer }
            return answer.replacingOccurrences(of: "doctorName=\"", with: "doctorName=\"&#13;&#10;X-Injected: 1 ")
                .replacingOccurrences(of: "ticket=\"", with: "ticket=\"&#13;&#10;")
        }
        let database = try AppDatabase.inMemory()
        try await withDemoRegion(database: database, rewrite: breakNames) { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, requestID) = try await checkPage(browser)
            // When the patient confirms
            let form = ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID]
            let confirmed = try await browser.post("/book", form)
            // Then the booking the MIS made is recorded and shown, without the number it could not read
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/tickets/\(requestID)", "\(confirmed.text.prefix(1_000))")
            #expect(try await database.booking(requestID: requestID)?.status == .active)
            let ticket = try await browser.get("/tickets/\(requestID)")
            #expect(ticket.status == .ok && ticket.text.contains("Номер талона поликлиника не сообщила") && !ticket.text.contains("X-Injected"))
            #expect(try await browser.get("/cabinet").text.contains("/tickets/\(requestID)"))
            #expect(try await browser.post("/book", form).headers[.location] == "/tickets/\(requestID)")
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
        }
    }

    @Test func aBurstOfCopiesOfOneConfirmationAllLandOnItsTicket() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, requestID) = try await checkPage(browser)
            // When fifty copies of one confirmation arrive at once
            // (the same cookies and body each time, sent past the test browser, which keeps cookies one answer at a time)
            let body = ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID, "csrf": browser.formToken ?? ""]
                .map { "\($0.key)=\($0.value)" }.joined(separator: "&")
            let headers: HTTPFields = [.cookie: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), .contentType: "application/x-www-form-urlencoded"]
            let client = browser.client
            let locations = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let response = try await client.execute(uri: "/book", method: .post, headers: headers, body: ByteBuffer(string: body)) { $0 }
                        return (response.status, response.headers[.location])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Then every one lands on the one ticket, and the MIS holds one appointment
            #expect(locations.count == 50)
            for (status, location) in locations {
                #expect(status == .seeOther && location == "/tickets/\(requestID)")
            }
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
        }
    }
}
