import Booking
import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
import MISBridge

/// Booking for the caller from the workstation: the steps, the same rules as the site with texts
/// for the operator, the read-back, and who the ledger and the MIS say booked.
@Suite struct OperatorBookingTests {
    private func operatorStore() async throws -> AppDatabase {
        try await storeWithStaff([("ivanova", "Иванова М. П.", .operator)])
    }

    /// Signs the operator in, finds `policy` and chooses the caller; returns the browser and the staff form token.
    private func serving(_ browser: Browser, policy: String) async throws -> String {
        let token = try await signInStaff(browser, "ivanova")
        #expect(try await browser.postRaw("/operator/search", ["number": policy, "csrf": token]).status == .ok)
        #expect(try await browser.postRaw("/operator/caller/choose", ["choice": "0", "csrf": token]).status == .seeOther)
        return token
    }

    private static func first(_ pattern: String, in html: String) throws -> String {
        try #require(html.range(of: pattern, options: .regularExpression).map { String(html[$0]) })
    }

    @Test func anOperatorBooksStepByStepAndReadsTheTicketBack() async throws {
        let database = try await operatorStore()
        try await withDemoRegion(database: database) { browser, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101")).first)
            let token = try await serving(browser, policy: person.policy)
            // Clinic: the caller's own first.
            let clinics = try await browser.get("/operator/book").text
            #expect(clinics.contains("прикреплён") && clinics.range(of: "/operator/book/clinics/101")!.lowerBound < clinics.range(of: "карты нет")?.lowerBound ?? clinics.endIndex)
            let specialties = try await browser.get("/operator/book/clinics/101")
            #expect(specialties.status == .ok && specialties.text.contains("/operator/book/clinics/101/specialties/113"))
            // The list filters without JavaScript too.
            let filtered = try await browser.get("/operator/book/clinics/101?q=хирур").text
            #expect(filtered.contains("specialties/113") && !filtered.contains("specialties/109"))
            let doctors = try await browser.get("/operator/book/clinics/101/specialties/113").text
            let doctorPath = try Self.first("/operator/book/clinics/101/doctors/[0-9]+", in: doctors)
            let days = try await browser.get(doctorPath).text
            let checkPath = try Self.first(#"/operator/book/check\?clinic=101&amp;doctor=[0-9]+&amp;slot=[0-9]+"#, in: days).replacingOccurrences(of: "&amp;", with: "&")
            let check = try await browser.get(checkPath)
            #expect(check.status == .ok && check.text.contains("Проверка записи") && check.text.contains(#"accesskey="z""#))
            let requestID = try Self.first(#"name="requestId" value="[0-9a-f]+""#, in: check.text).components(separatedBy: "\"")[3]
            let slot = String(checkPath.split(separator: "=").last!)
            let doctor = String(doctorPath.split(separator: "/").last!)
            let booked = try await browser.postRaw("/operator/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID, "csrf": token])
            #expect(booked.status == .seeOther && booked.headers[.location] == "/operator/tickets/\(requestID)")
            // A second Enter lands on the same read-back and books nothing more.
            #expect(try await browser.postRaw("/operator/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID, "csrf": token]).headers[.location] == "/operator/tickets/\(requestID)")
            let ticket = try await browser.get("/operator/tickets/\(requestID)")
            #expect(ticket.status == .ok && ticket.text.contains("Прочитайте пациенту") && ticket.text.contains("полис ОМС и паспорт") && ticket.text.contains("за 10 минут"))
            let weekdays = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]
            let readBack = try Self.first(#"<p class="desk-readback__text"[^>]*>[^<]+</p>"#, in: ticket.text).lowercased()
            #expect(weekdays.contains { readBack.contains($0) } && readBack.contains("кабинет") && readBack.contains(", в "))
            // The MIS and the ledger say who booked: the call centre, this operator.
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
            let entry = try #require(try await database.booking(requestID: requestID))
            let account = try #require(try await database.account(login: "ivanova"))
            #expect(entry.channel == "call-centre" && entry.actor == "operator:\(account.id)")
            let inMIS = try #require(try mis.history(clinic: "101", patient: person.id).first { $0.slotID == slot })
            #expect(inMIS.channel == .callCentre && inMIS.actor == "operator:\(account.id)")
            #expect(try database.auditEntries(AuditQuery(action: "booking.booked")).map(\.detail) == [requestID])
            // The same rule as on the site, in words for the operator: a second surgeon that day (a
            // time far enough ahead to book, so that only this rule stands in the way).
            let bookable = Date().addingTimeInterval(BookingRules().leadTime + 60)
            let other = try #require(try DemoGuide(mis).freeTimes(clinic: "101", specialty: "113", day: entry.day, after: bookable, count: 50).first { $0.slot != slot })
            let second = try await browser.get("/operator/book/check?clinic=101&doctor=\(other.doctor)&slot=\(other.slot)")
            #expect(second.status == .conflict && second.text.contains("У пациента уже есть запись") && second.text.contains(#"data-refusal="already-booked-that-day""#))
            // Another patient's ticket is not this caller's.
            #expect(try await browser.get("/operator/tickets/0123456789abcdef0123456789abcdef").status == .notFound)

            // The card lists the booking; the operator cancels it with the caller's reason.
            let card = try await browser.get("/operator/caller").text
            let cancelPath = try Self.first(#"/operator/caller/cancel\?clinic=101&amp;appointment=[^"]+"#, in: card).replacingOccurrences(of: "&amp;", with: "&")
            #expect(card.contains("контакт-центр"))
            let ask = try await browser.get(cancelPath)
            #expect(ask.status == .ok && ask.text.contains("Отменить запись?"))
            let appointment = String(cancelPath.split(separator: "=").last!)
            let noReason = try await browser.postRaw("/operator/caller/cancel", ["clinic": "101", "appointment": appointment, "reason": " ", "csrf": token])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("Запишите причину"))
            let cancelled = try await browser.postRaw("/operator/caller/cancel", ["clinic": "101", "appointment": appointment, "reason": "заболел ребёнок", "csrf": token])
            #expect(cancelled.headers[.location] == "/operator/caller?cancelled=1")
            #expect(try await browser.get("/operator/caller?cancelled=1").text.contains("Запись отменена"))
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.cancelled])
            let after = try #require(try await database.booking(requestID: requestID))
            #expect(after.status == .cancelled && after.cancelledBy == "call-centre" && after.cancelledActor == "operator:\(account.id)" && after.cancelReason == "заболел ребёнок")
            let cancelledInMIS = try #require(try mis.history(clinic: "101", patient: person.id).first { $0.slotID == slot })
            #expect(cancelledInMIS.cancelledBy == .callCentre && cancelledInMIS.cancelledActor == "operator:\(account.id)")
            #expect(try database.auditEntries(AuditQuery(action: "booking.cancelled")).count == 1)
            // An appointment that is not the caller's cannot be cancelled here.
            #expect(try await browser.postRaw("/operator/caller/cancel", ["clinic": "102", "appointment": appointment, "reason": "не его", "csrf": token]).status == .notFound)
        }
    }

    @Test func anOperatorMovesABookingThePatientMadeOnTheSite() async throws {
        let database = try await operatorStore()
        try await withDemoRegion(database: database) { patient, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101"), skipping: 2).first)
            try await identify(patient, policy: person.policy, birthDate: person.birthDate)
            let (doctor, slot, _) = try await firstSurgeonTime(patient)
            let check = try await patient.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            let siteRequest = try requestID(onCheckPage: check.text)
            #expect(try await patient.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": siteRequest]).status == .seeOther)

            let browser = Browser(patient.client)
            let token = try await serving(browser, policy: person.policy)
            let card = try await browser.get("/operator/caller").text
            let movePath = try Self.first(#"/operator/caller/move\?booking=[0-9a-f]+"#, in: card)
            #expect(movePath.hasSuffix(siteRequest))
            let choices = try await browser.get(movePath)
            #expect(choices.status == .ok && choices.text.contains("Перенос записи") && choices.text.contains("Не переносить"))
            let checkPath = try Self.first(#"/operator/caller/move/check\?booking=[0-9a-f]+&amp;doctor=[0-9]+&amp;slot=[0-9]+"#, in: choices.text).replacingOccurrences(of: "&amp;", with: "&")
            let newSlot = String(checkPath.split(separator: "=").last!)
            #expect(newSlot != slot)
            let moveCheck = try await browser.get(checkPath)
            #expect(moveCheck.status == .ok && moveCheck.text.contains("Проверка переноса") && moveCheck.text.contains(">Перенести<"))
            let newRequest = try Self.first(#"name="requestId" value="[0-9a-f]+""#, in: moveCheck.text).components(separatedBy: "\"")[3]
            let noReason = try await browser.postRaw("/operator/caller/move", ["booking": siteRequest, "doctor": doctor, "slot": newSlot, "requestId": newRequest, "csrf": token])
            let again = try #require(noReason.headers[.location])
            let asked = try await browser.get(again)
            #expect(again.hasSuffix("&reason=missing") && asked.status == .unprocessableContent && asked.text.contains("Запишите причину переноса"))
            let moved = try await browser.postRaw("/operator/caller/move", ["booking": siteRequest, "doctor": doctor, "slot": newSlot, "requestId": newRequest, "reason": "уезжает в командировку", "csrf": token])
            #expect(moved.headers[.location] == "/operator/tickets/\(newRequest)")
            #expect(try await browser.get("/operator/tickets/\(newRequest)").text.contains("Прочитайте пациенту"))
            // One reschedule in the MIS; the ledger links the two; the trail has the move.
            #expect(try DemoGuide(mis).appointments(onSlot: newSlot) == [.active])
            #expect(try DemoGuide(mis).appointments(onSlot: slot).allSatisfy { $0 != .active })
            let old = try #require(try await database.booking(requestID: siteRequest))
            let new = try #require(try await database.booking(requestID: newRequest))
            #expect(old.status == .moved && old.movedTo == newRequest && new.replaces == siteRequest && new.channel == "call-centre")
            #expect(try database.auditEntries(AuditQuery(action: "booking.moved")).map(\.detail) == ["\(siteRequest) → \(newRequest): уезжает в командировку"])
            // A booking that is not the caller's, or no longer active, cannot be moved.
            #expect(try await browser.get("/operator/caller/move?booking=\(siteRequest)").status == .notFound)
        }
    }

    @Test func theEarliestTimesOfASpecialtyInTheCallersClinicsLeadToTheirCheckPages() async throws {
        try await withDemoRegion(database: try await operatorStore()) { browser, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101"), skipping: 4).first)
            _ = try await serving(browser, policy: person.policy)
            let form = try await browser.get("/operator/book/earliest")
            #expect(form.status == .ok && form.text.contains(#"<option value="92""#))
            let found = try await browser.get("/operator/book/earliest?specialty=92")
            #expect(found.status == .ok && found.text.contains("Во всех поликлиниках пациента"))
            let checkPath = try Self.first(#"/operator/book/check\?clinic=[0-9]+&amp;doctor=[0-9]+&amp;slot=[0-9]+"#, in: found.text).replacingOccurrences(of: "&amp;", with: "&")
            let check = try await browser.get(checkPath)
            #expect(check.status == .ok && check.text.contains("Проверка записи") && check.text.contains("Хирург"))
            // A specialty the caller's clinics do not offer searches nothing.
            #expect(!(try await browser.get("/operator/book/earliest?specialty=nonsense").text.contains("Свободного времени не нашлось")))
        }
    }

    @Test func aSpecialtyOpenByReferralAsksForTheReferralsNumber() async throws {
        try await withDemoRegion(database: try await operatorStore()) { browser, mis in
            let referral = try #require(try DemoGuide(mis).referrals(clinic: "101", expired: false, now: Date()).first)
            let time = try #require(try DemoGuide(mis).freeTimes(clinic: "101", specialty: referral.specialty, after: Date().addingTimeInterval(4 * 3_600)).first)
            let token = try await serving(browser, policy: referral.holder.policy)
            let check = try await browser.get("/operator/book/check?clinic=101&doctor=\(time.doctor)&slot=\(time.slot)")
            #expect(check.status == .ok && check.text.contains("Номер направления") && !check.text.contains("data-refusal"))
            let requestID = try Self.first(#"name="requestId" value="[0-9a-f]+""#, in: check.text).components(separatedBy: "\"")[3]
            let fields = ["clinic": "101", "doctor": time.doctor, "slot": time.slot, "requestId": requestID, "csrf": token]
            let none = try await browser.postRaw("/operator/book", fields)
            #expect(none.status == .unprocessableContent && none.text.contains("Спросите номер направления"))
            let wrong = try await browser.postRaw("/operator/book", fields.merging(["referral": "НЕТ-ТАКОГО-1"]) { $1 })
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("field__error"))
            let booked = try await browser.postRaw("/operator/book", fields.merging(["referral": referral.number]) { $1 })
            #expect(booked.status == .seeOther && booked.headers[.location] == "/operator/tickets/\(requestID)")
        }
    }

    @Test func bookingPagesNeedACallerBeingServed() async throws {
        try await withDemoRegion(database: try await operatorStore()) { browser, _ in
            _ = try await signInStaff(browser, "ivanova")
            for path in ["/operator/book", "/operator/book/clinics/101", "/operator/book/check?clinic=101&doctor=1&slot=1", "/operator/tickets/x"] {
                #expect(try await browser.get(path).headers[.location] == "/operator", "\(path)")
            }
        }
    }
}
