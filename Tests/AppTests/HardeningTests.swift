import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
@testable import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import Web

/// What an outsider's attack on the running registry tried: malformed forms, NUL bytes, hostile
/// fields from a MIS, attempts lost to outages, cookies over TLS.
@Suite("Hardening")
struct HardeningTests {
    static let postRoutes = ["/identify", "/logout", "/book", "/cabinet/contact", "/tickets/0123456789abcdef0123/cancel"]

    private func post(_ client: any TestClientProtocol, _ uri: String, _ body: [UInt8], cookie: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body)) { $0 }
    }

    @Test func malformedFormBodiesAreTheClientsFaultOnEveryForm() async throws {
        try await withRegistry { client in
            let browser = Browser(client)
            _ = try await browser.get("/identify")
            let token = try #require(browser.formToken), cookie = try #require(browser.cookies["csrf"])
            let broken = ["x=%zz", "csrf=\(token)&csrf=\(token)", "policy=1&policy=2&csrf=\(token)", "csrf=\(token)&next=%00", "x=%C3%28&csrf=\(token)", "%", "a=%4", "csrf=\(token)%"]
            for route in Self.postRoutes {
                for body in broken {
                    let response = try await post(client, route, Array(body.utf8), cookie: "csrf=\(cookie)")
                    #expect(response.status == .badRequest, "\(route) \(body)")
                    #expect(response.text.contains("Запрос не получилось разобрать"), "\(route) \(body)")
                }
            }
        }
    }

    @Test func twoThousandRandomBodiesOnEveryFormNeverGiveAServerError() async throws {
        let database = try AppDatabase.inMemory()
        try await withRegistry(database: database) { client in
            var generator = SeededRandom(seed: 20261201)
            let pieces = ["%", "%0", "%zz", "%00", "%C3", "%28", "&", "=", "+", "csrf", "policy", "birthDate", "next", "slot", "clinic", "requestId", "//", "\u{0}", "\r\n", "ё", "%D0%B9", "a", "1"]
            // Signed in, with a valid token, so that well-formed bodies reach the handlers themselves.
            let session = CSRF.randomToken(), token = CSRF.randomToken()
            try await database.identify(session: "", as: session, csrfToken: token, patient: IdentifiedPatient(key: "k", displayName: "Анна К.", birthDate: "1990-01-01", cards: [:]), now: Date())
            var serverErrors: [String] = []
            for round in 0..<(2_000 * Self.postRoutes.count) {
                var body: [UInt8] = []
                if round % 2 == 0 { body += Array("csrf=\(token)&".utf8) }
                for _ in 0..<Int.random(in: 1...12, using: &generator) {
                    if Int.random(in: 0..<5, using: &generator) == 0 {
                        body.append(UInt8.random(in: 0...255, using: &generator))
                    } else {
                        body += Array(pieces.randomElement(using: &generator)!.utf8)
                    }
                }
                let route = Self.postRoutes[round % Self.postRoutes.count]
                let cookie = round % 3 == 0 ? "csrf=\(token)" : "session=\(session); csrf=\(token)"
                let response = try await post(client, route, body, cookie: cookie)
                if response.status.code >= 500 && response.status != .serviceUnavailable { serverErrors.append("\(route) \(body)") }
            }
            #expect(serverErrors.isEmpty, "\(serverErrors.prefix(5))")
        }
    }

    @Test func nulBytesInAddressesAreRefused() async throws {
        try await withRegistry { client in
            for uri in ["/css/print.css%00.png", "/clinics/101%00", "/search/clinics?q=a%00b", "/identify?next=/me%00", "/clinics/%0a101", "/%zz"] {
                let response = try await client.execute(uri: uri, method: .get) { $0 }
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.text.contains("Запрос не получилось разобрать"), "\(uri)")
            }
            #expect(try await client.execute(uri: "/css/print.css", method: .get) { $0 }.status == .ok)
        }
    }

    @Test func overTLSCookiesAreSecureAndHSTSIsSent() async throws {
        try await withRegistry(secureCookies: true) { client in
            let response = try await client.execute(uri: "/identify", method: .get) { $0 }
            #expect(response.headers[SecurityHeaders.strictTransportSecurityName] == "max-age=31536000; includeSubDomains")
            // Over TLS the pre-session cookie is a __Host- one: Secure, Path=/, no Domain — no other host can plant it.
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("__Host-csrf=") })
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && !cookie.contains("Domain"))
        }
        try await withRegistry { client in
            let response = try await client.execute(uri: "/identify", method: .get) { $0 }
            #expect(response.headers[SecurityHeaders.strictTransportSecurityName] == nil)
        }
    }

    @Test func aFormTokenHarvestedInOneBrowserDoesNotPassInAnother() async throws {
        try await withRegistry(secureCookies: true) { client in
            // Given an attacker's own pair: the pre-session cookie and the token of the sign-in form it goes with
            let attacker = Browser(client)
            let form = try await client.execute(uri: "/identify", method: .get) { $0 }
            let harvestedCookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("__Host-csrf=") }).dropFirst("__Host-csrf=".count).prefix { $0 != ";" }
            let harvestedToken = try formToken(in: form.text)
            func post(cookie: String) async throws -> HTTPResponse.Status {
                let body = "policy=7700000000000008&birthDate=01.01.1990&csrf=\(harvestedToken)"
                return try await client.execute(uri: "/identify", method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { $0 }.status
            }
            // When the token is sent from the victim's browser, which holds its own pre-session cookie
            _ = try await attacker.get("/identify")
            let victimCookie = try #require(attacker.cookies["__Host-csrf"])
            #expect(try await post(cookie: "__Host-csrf=\(victimCookie)") == .forbidden)
            // …or with the harvested value planted under the name a sibling host or a plain-HTTP answer could set
            #expect(try await post(cookie: "csrf=\(harvestedCookie)") == .forbidden)
            // …or as the cookie itself (the token is not a cookie value)
            #expect(try await post(cookie: "__Host-csrf=\(harvestedToken)") == .forbidden)
            // Then only the browser holding the cookie passes
            #expect(try await post(cookie: "__Host-csrf=\(harvestedCookie)") != .forbidden)
        }
    }

    @Test func aTicketNumberWithALineBreakNeverReachesAHeader() async throws {
        let hostile = "1\r\nSet-Cookie: session=planted"
        let header = CalendarFile.contentDisposition(ticket: hostile)
        #expect(!header.contains("\r") && !header.contains("\n") && !header.contains(" session"))
        #expect(header == "attachment; filename=\"talon-1--Set-Cookie--session-planted.ics\"")
        #expect(CalendarFile.contentDisposition(ticket: "Т-12/3\"x") == "attachment; filename=\"talon---12-3-x.ics\"")
        #expect(CalendarFile.contentDisposition(ticket: nil) == "attachment; filename=\"talon-priem.ics\"")
    }

    @Test func aMISThatAnswersAHostileTicketStillLeavesTheBookingSettled() async throws {
        let database = try AppDatabase.inMemory()
        // Given a MIS whose ticket numbers carry a line break and a header
        try await withDemoRegion(database: database, configureMIS: { $0.ticketNumber = { _, _ in "X\r\nSet-Cookie: a=b" } }) { browser, mis in
            try await identifyAdult(browser, mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            let requestID = try requestID(onCheckPage: check.text)
            // When the patient confirms
            let confirm = try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            // Then the booking is settled (active), shown without the number, and the calendar file's name is plain
            #expect(confirm.status == .seeOther)
            let person = try await adultOf101(mis)
            let entry = try #require(try database.bookings(patientKey: AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate)).first)
            #expect(entry.status == .active && entry.ticket == nil)
            let ticket = try await browser.get("/tickets/\(requestID)")
            #expect(ticket.status == .ok && ticket.text.contains("Номер талона поликлиника не сообщила"))
            let ics = try await browser.get("/tickets/\(requestID)/calendar.ics")
            #expect(ics.headers[.contentDisposition] == "attachment; filename=\"talon-priem.ics\"")
            #expect(!ics.text.contains("Set-Cookie"))
        }
    }

    @Test func anAttemptThatNeverReachedTheMISHoldsNothing() async throws {
        let database = try AppDatabase.inMemory()
        // Given a clinic whose gateway refuses connections (nothing listens)
        let region = Region(settings: [MISEndpoint(id: "down", url: "http://127.0.0.1:9/serverais", keyID: "k", secret: "s")], transport: testTransport, logger: testLogger)
        let desk = BookingDesk(region: region, database: database)
        let start = Date().addingTimeInterval(2 * 86_400)
        let chosen = ChosenSlot(
            clinic: MISClinic(id: "101", districtID: "1", fullName: "Поликлиника № 1", shortName: "П1", address: "ул. Ленина, 12", phone: "+7 495 101-00-01", oid: "1.2", timeZone: "Europe/Moscow"),
            client: region.clients[0],
            doctor: MISDoctor(id: "7", name: "Иванова М. П.", specialtyID: "113", district: nil, room: "214", freeCount: 1, nearestDate: nil, lastDate: nil),
            specialty: MISSpecialty(id: "113", name: "Хирург", federalCode: "92", freeCount: 1, nearestDate: nil, lastDate: nil, selfBooking: .open, minimumAge: nil, maximumAge: nil),
            slot: MISSlot(id: "9", start: start, end: start.addingTimeInterval(900), room: "214", address: "ул. Ленина, 12"),
            zone: TimeZone(identifier: "Europe/Moscow")!
        )
        let patient = IdentifiedPatient(key: "k", displayName: "Анна К.", birthDate: "1990-01-01", cards: ["101": ClinicCard(patientID: "P1")])
        // When the confirmation cannot be sent
        await #expect(throws: BookingDesk.Outcome.self) {
            _ = try await desk.book(chosen, patient: patient, ledger: [], requestID: "never-sent-0123456789", by: .patient, now: Date())
        }
        // Then the attempt is not left pending, and another time that day is not refused for it
        let ledger = try database.bookings(patientKey: "k")
        #expect(ledger.map(\.status) == [.failed])
        var other = chosen.slot
        other = MISSlot(id: "10", start: other.start.addingTimeInterval(1_800), end: other.end.addingTimeInterval(1_800), room: other.room, address: other.address)
        let second = ChosenSlot(clinic: chosen.clinic, client: chosen.client, doctor: chosen.doctor, specialty: chosen.specialty, slot: other, zone: chosen.zone)
        #expect(desk.refusal(for: second, patient: patient, ledger: ledger, now: Date()) == nil)
    }

    @Test func aLostAttemptIsSettledBeforeTheRulesCountIt() async throws {
        let database = try AppDatabase.inMemory()
        try await withDemoRegion(database: database) { browser, mis in
            try await identifyAdult(browser, mis)
            let person = try await adultOf101(mis)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            // Another time of the same doctor on the same day.
            let chosen = try #require(try DemoGuide(mis).freeTimes(doctor: doctor, after: .distantPast, count: 1_000).first { $0.slot == slot })
            let sameDay = try DemoGuide(mis).freeTimes(doctor: doctor, day: chosen.day, after: .distantPast, count: 1_000).last { $0.slot != slot }
            let other = try #require(sameDay).slot
            let start = try #require(sameDay).start
            // Given an attempt on that surgeon's day that timed out a minute ago; the MIS never booked it
            _ = try await database.beginBooking(LedgerEntry(
                requestID: "timed-out-0123456789", patientKey: AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate), clinicID: "101", slotID: other,
                misPatientID: person.id, clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12", clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow",
                federalCode: "92", specialtyName: "Хирург", doctorName: "—", room: "—", start: start, end: start.addingTimeInterval(900),
                day: ProtocolTime.day(start, in: TimeZone(identifier: "Europe/Moscow")!), status: .pending, channel: "internet", createdAt: Date().addingTimeInterval(-60)
            ))
            // When the patient chooses another time of the same day
            let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            // Then the lost attempt is settled first and does not block the choice
            #expect(check.status == .ok, "\(check.text.prefix(400))")
            #expect(try database.bookings(patientKey: AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate)).first { $0.requestID == "timed-out-0123456789" }?.status == .failed)
        }
    }
}
