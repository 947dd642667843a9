import Booking
import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ReferenceMIS
import RegistryCore
import Synchronization
import Testing
@testable import App
import MISBridge

/// The lobby kiosk: only a live device token opens its pages, a kiosk stays on them, what it books
/// carries the kiosk channel, and nothing of a patient outlives their visit.
@Suite struct KioskTests {
    /// A store with one administrator and a kiosk of clinic 101; returns the store and the kiosk's token.
    private func kioskStore() async throws -> (AppDatabase, KioskRecord, String) {
        let database = try await storeWithStaff([("chief", "Петрова А. В.", .administrator), ("ivanova", "Иванова М. П.", .operator)])
        let devices = KioskDevices(database: database, audit: AuditTrail(database: database))
        guard case .success(let registered) = try await devices.register(name: "Холл, 1 этаж", clinicID: "101", clinics: ["101"], by: nil, address: nil, now: Date()) else {
            throw KioskDevices.Problem.notFound
        }
        return (database, registered.kiosk, registered.token)
    }

    /// Opens the start address and identifies `person` at the kiosk.
    private func identifyAtKiosk(_ browser: Browser, token: String, policy: String, birthDate: String) async throws {
        #expect(try await browser.get("/kiosk/start?token=\(token)").headers[.location] == "/kiosk")
        #expect(try await browser.get("/kiosk").status == .ok)
        let identified = try await browser.post("/kiosk/identify", ["policy": policy, "birthDate": birthDate])
        #expect(identified.status == .seeOther && identified.headers[.location] == "/kiosk/menu")
    }

    private static func first(_ pattern: String, in html: String) throws -> String {
        try #require(html.range(of: pattern, options: .regularExpression).map { String(html[$0]) }).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test func onlyALiveDeviceTokenOpensTheKiosk() async throws {
        let (database, _, token) = try await kioskStore()
        try await withRegistry(database: database) { client in
            let browser = Browser(client)
            let bare = try await browser.get("/kiosk")
            #expect(bare.status == .forbidden && bare.text.contains("Информат не подключён") && bare.headers[.cacheControl] == "no-store")
            #expect(try await browser.get("/kiosk/start?token=" + String(repeating: "0", count: 64)).status == .forbidden)
            #expect(try await browser.get("/kiosk/start?token=<script>").status == .forbidden)
            #expect(browser.cookies["kiosk"] == nil)
            let start = try await browser.get("/kiosk/start?token=\(token)")
            #expect(start.status == .seeOther && browser.cookies["kiosk"] == token)
            let cookie = try #require(start.headers[values: .setCookie].first { $0.hasPrefix("kiosk=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.range(of: "Path=/(;|$)", options: .regularExpression) != nil)
            let home = try await browser.get("/kiosk")
            #expect(home.status == .ok && home.headers[.cacheControl] == "no-store" && home.text.contains("Номер полиса ОМС"))
            // Every form on the kiosk turns the browser's own memory of fields off.
            #expect(home.text.contains(#"autocomplete="off" novalidate data-identify"#))
        }
    }

    @Test func aKioskBoundToItsHallIsRefusedWithItsCookieFromElsewhere() async throws {
        let database = try await storeWithStaff([("chief", "Петрова А. В.", .administrator)])
        let devices = KioskDevices(database: database, audit: AuditTrail(database: database))
        guard case .success(let registered) = try await devices.register(name: "Холл", clinicID: "101", clinics: ["101"], network: "10.20.0.0/24", by: nil, address: nil, now: Date())
        else { Issue.record("not registered"); return }
        try await withRegistry(database: database) { client in
            // Given the kiosk's cookie copied to a machine outside the hall
            let stranger = Browser(client)
            stranger.cookies["kiosk"] = registered.token
            // Then neither its pages nor its start address open, and the trail records each try
            let page = try await stranger.get("/kiosk")
            #expect(page.status == .forbidden && page.text.contains("Информат не подключён"))
            #expect(try await stranger.get("/kiosk/start?token=\(registered.token)").status == .forbidden)
        }
        let refused = try await database.auditEntries(AuditQuery(action: AuditTrail.Action.kioskRefusedElsewhere.rawValue))
        #expect(refused.count == 2 && refused.allSatisfy { $0.detail.contains(registered.kiosk.id) })
    }

    @Test func aKioskPastItsFailureLimitAsksForTheDocumentInsteadOfClosing() async throws {
        let (database, _, token) = try await kioskStore()
        try await withDemoRegion(database: database) { browser, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101")).first)
            #expect(try await browser.get("/kiosk/start?token=\(token)").headers[.location] == "/kiosk")
            // Given a prankster at the kiosk who types thirty policies nobody holds
            for index in 0..<30 {
                let first15 = String(format: "770000%09d", index + 1)
                _ = try await browser.get("/kiosk")
                let wrong = try await browser.post("/kiosk/identify", ["policy": first15 + String(PolicyNumber.checkDigit(forFirst15: Array(first15))), "birthDate": "01.01.1990"])
                #expect(wrong.status == .unprocessableContent)
            }
            // When the next patient steps up, the kiosk asks them for the document too, rather than closing
            _ = try await browser.get("/kiosk")
            let asked = try await browser.post("/kiosk/identify", ["policy": person.policy, "birthDate": person.birthDate])
            #expect(asked.status == .unprocessableContent && asked.text.contains("укажите ещё серию и номер паспорта") && asked.text.contains("name=\"document\""))
            // And with it they are identified
            let identified = try await browser.post("/kiosk/identify", ["policy": person.policy, "birthDate": person.birthDate, "document": person.document])
            #expect(identified.status == .seeOther && identified.headers[.location] == "/kiosk/menu")
        }
    }

    @Test func aKioskBooksWithItsChannelPrintsTheReceiptAndEndsTheVisit() async throws {
        let (database, kiosk, token) = try await kioskStore()
        try await withDemoRegion(database: database) { browser, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101")).first)
            try await identifyAtKiosk(browser, token: token, policy: person.policy, birthDate: person.birthDate)
            let menu = try await browser.get("/kiosk/menu")
            #expect(menu.status == .ok && menu.text.contains("Здравствуйте") && menu.text.contains("Завершить") && menu.headers[.cacheControl] == "no-store")
            // The kiosk's own clinic comes first.
            let clinics = try await browser.get("/kiosk/book")
            let clinicsText = clinics.status == .seeOther ? "" : clinics.text
            if clinics.status == .ok { #expect(clinicsText.range(of: "/kiosk/book/clinics/101")!.lowerBound < (clinicsText.range(of: "/kiosk/book/clinics/10[2-9]", options: .regularExpression)?.lowerBound ?? clinicsText.endIndex)) }
            let doctors = try await browser.get("/kiosk/book/clinics/101/specialties/113").text
            let doctorPath = try Self.first("/kiosk/book/clinics/101/doctors/[0-9]+", in: doctors)
            let day = try await browser.get(doctorPath).text
            let checkPath = try Self.first(#"/kiosk/book/check\?clinic=101&amp;doctor=[0-9]+&amp;slot=[0-9]+"#, in: day)
            let check = try await browser.get(checkPath)
            #expect(check.status == .ok && check.text.contains("Записаться"))
            let requestID = try requestID(onCheckPage: check.text)
            let slot = String(checkPath.split(separator: "=").last!)
            let doctor = String(doctorPath.split(separator: "/").last!)
            let booked = try await browser.post("/kiosk/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID])
            let receiptPath = try #require(booked.headers[.location])
            #expect(booked.status == .seeOther && receiptPath.hasPrefix("/kiosk/appointments/101/") && receiptPath.hasSuffix("?print=1"))
            // A second touch lands on the same receipt and books nothing more.
            #expect(try await browser.post("/kiosk/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": requestID]).headers[.location] == receiptPath)
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.active])
            let receipt = try await browser.get(receiptPath)
            #expect(receipt.status == .ok && receipt.text.contains("data-auto-print") && receipt.text.contains("receipt__number") && receipt.text.contains("за 10 минут"))
            // The MIS and the ledger say a kiosk booked it, and which.
            let inMIS = try #require(try mis.history(clinic: "101", patient: person.id).first { $0.slotID == slot })
            #expect(inMIS.channel == .kiosk && inMIS.actor == "kiosk:\(kiosk.id)")
            #expect(try await database.booking(requestID: requestID)?.actor == "kiosk:\(kiosk.id)")
            // The appointments list shows it; printing again has no auto-print.
            let list = try await browser.get("/kiosk/appointments").text
            #expect(list.contains(receiptPath.replacingOccurrences(of: "?print=1", with: "")))
            #expect(!(try await browser.get(receiptPath.replacingOccurrences(of: "?print=1", with: "")).text.contains("data-auto-print")))

            // Finishing ends the session on the server; the kiosk's pages then show the start.
            let sessionID = try #require(browser.cookies["kiosk_patient"])
            let end = try await browser.postRaw("/kiosk/end", [:])
            #expect(end.status == .seeOther && end.headers[.location] == "/kiosk" && browser.cookies["kiosk_patient"] == nil)
            #expect(try await database.session(id: sessionID, now: Date(), idleTimeout: 900) == nil)
            #expect(try await browser.get("/kiosk/menu").headers[.location] == "/kiosk")
            #expect(try await browser.get(receiptPath).headers[.location] == "/kiosk")
            // The old session id sent again opens nothing either.
            browser.cookies["kiosk_patient"] = sessionID
            #expect(try await browser.get("/kiosk/appointments").headers[.location] == "/kiosk")
        }
    }

    @Test func aPatientCancelsAtTheKioskWhicheverChannelBooked() async throws {
        let (database, kiosk, token) = try await kioskStore()
        try await withDemoRegion(database: database) { browser, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101"), skipping: 1).first)
            // Booked on the site…
            try await identify(browser, policy: person.policy, birthDate: person.birthDate)
            let (doctor, slot, _) = try await firstSurgeonTime(browser)
            let check = try await browser.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            #expect(try await browser.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": try requestID(onCheckPage: check.text)]).status == .seeOther)
            // …cancelled at the kiosk (another browser).
            let atKiosk = Browser(browser.client)
            try await identifyAtKiosk(atKiosk, token: token, policy: person.policy, birthDate: person.birthDate)
            let list = try await atKiosk.get("/kiosk/appointments").text
            let cancelPath = try Self.first("/kiosk/appointments/101/[^\"/]+/cancel", in: list)
            let ask = try await atKiosk.get(cancelPath)
            #expect(ask.status == .ok && ask.text.contains("Отменить запись?"))
            let cancelled = try await atKiosk.post(cancelPath, [:])
            #expect(cancelled.headers[.location] == "/kiosk/appointments?cancelled=1")
            #expect(try await atKiosk.get("/kiosk/appointments?cancelled=1").text.contains("Запись отменена"))
            #expect(try DemoGuide(mis).appointments(onSlot: slot) == [.cancelled])
            let inMIS = try #require(try mis.history(clinic: "101", patient: person.id).first { $0.slotID == slot })
            #expect(inMIS.cancelledBy == .kiosk && inMIS.cancelledActor == "kiosk:\(kiosk.id)")
            // Another patient's appointment is not found here.
            #expect(try await atKiosk.get("/kiosk/appointments/102/1").status == .notFound)
        }
    }

    @Test func aRevokedKioskIsRefusedAtOnceAndWhoeverStoodAtItSignedOut() async throws {
        let (database, kiosk, token) = try await kioskStore()
        try await withDemoRegion(database: database) { browser, mis in
            let person = try await adultOf101(mis)
            try await identifyAtKiosk(browser, token: token, policy: person.policy, birthDate: person.birthDate)
            let sessionID = try #require(browser.cookies["kiosk_patient"])
            let admin = Browser(browser.client)
            let adminToken = try await signInStaff(admin, "chief")
            let page = try await admin.get("/staff/kiosks")
            #expect(page.status == .ok && page.text.contains("Холл, 1 этаж") && !page.text.contains(token))
            #expect(try await admin.postRaw("/staff/kiosks/\(kiosk.id)/revoke", ["csrf": adminToken]).status == .seeOther)
            let refused = try await browser.get("/kiosk/menu")
            #expect(refused.status == .forbidden && refused.text.contains("Информат не подключён"))
            #expect(try await database.session(id: sessionID, now: Date(), idleTimeout: 900) == nil)
            #expect(try await browser.get("/kiosk/start?token=\(token)").status == .forbidden)
            #expect(try database.auditEntries(AuditQuery(action: "kiosk.revoked")).map(\.detail) == [kiosk.id])
        }
    }

    @Test func anAdministratorRegistersAKioskAndSeesItsStartAddressOnce() async throws {
        let (database, _, _) = try await kioskStore()
        try await withDemoRegion(database: database) { browser, _ in
            let operatorBrowser = Browser(browser.client)
            _ = try await signInStaff(operatorBrowser, "ivanova")
            #expect(try await operatorBrowser.get("/staff/kiosks").status == .forbidden)
            let adminToken = try await signInStaff(browser, "chief")
            let empty = try await browser.postRaw("/staff/kiosks", ["name": "  ", "clinic": "101", "csrf": adminToken])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Укажите, где стоит информат"))
            #expect(try await browser.postRaw("/staff/kiosks", ["name": "Вход", "clinic": "999", "csrf": adminToken]).status == .unprocessableContent)
            let registered = try await browser.postRaw("/staff/kiosks", ["name": "Регистратура, 2 этаж", "clinic": "102", "csrf": adminToken])
            let address = try Self.first("/kiosk/start\\?token=[0-9a-f]{64}", in: registered.text)
            #expect(registered.status == .ok)
            #expect(!(try await browser.get("/staff/kiosks").text.contains(address)))
            // The address opens the new kiosk, bound to its clinic.
            let kioskBrowser = Browser(browser.client)
            #expect(try await kioskBrowser.get(address).status == .seeOther)
            #expect(try await kioskBrowser.get("/kiosk").status == .ok)
            let kiosk = try #require(try await database.kiosks().first { $0.name == "Регистратура, 2 этаж" })
            #expect(kiosk.clinicID == "102" && kiosk.startedAt != nil)
            #expect(try database.auditEntries(AuditQuery(action: "kiosk.registered")).count == 2)
        }
    }

    @Test func aKioskStaysOnItsPagesAndOtherSessionsOpenNothingOfIt() async throws {
        let (database, _, token) = try await kioskStore()
        try await withDemoRegion(database: database) { browser, mis in
            let person = try await adultOf101(mis)
            try await identifyAtKiosk(browser, token: token, policy: person.policy, birthDate: person.birthDate)
            for outside in ["/", "/cabinet", "/identify", "/operator", "/staff/sign-in", "/clinics/101", "/metrics"] {
                let response = try await browser.get(outside)
                #expect(response.status == .forbidden && response.text.contains("недоступна на информате"), "\(outside)")
            }
            let style = try await browser.get("/css/kiosk.css")
            #expect(style.status == .ok, "\(style.status)")
            // The kiosk session's id means nothing to the patient site…
            let site = Browser(browser.client)
            site.cookies["session"] = browser.cookies["kiosk_patient"]
            #expect(try await site.get("/cabinet").headers[.location]?.hasPrefix("/identify") == true)
            // …and a patient's own session or a staff session nothing to the kiosk.
            let patient = Browser(browser.client)
            try await identify(patient, policy: person.policy, birthDate: person.birthDate)
            #expect(try await patient.get("/kiosk/menu").status == .forbidden)
            let withToken = Browser(browser.client)
            _ = try await withToken.get("/kiosk/start?token=\(token)")
            withToken.cookies["kiosk_patient"] = patient.cookies["session"]
            #expect(try await withToken.get("/kiosk/menu").headers[.location] == "/kiosk")
            let staff = Browser(browser.client)
            _ = try await signInStaff(staff, "ivanova")
            #expect(try await staff.get("/kiosk").status == .forbidden)
        }
    }

    @Test func aKioskSessionLapsesSoonAfterTheKioskGoesQuiet() async throws {
        let (database, _, token) = try await kioskStore()
        let clock = Mutex(Date())
        try await withDemoRegion(database: database, now: { clock.withLock { $0 } }) { browser, mis in
            let person = try await adultOf101(mis)
            try await identifyAtKiosk(browser, token: token, policy: person.policy, birthDate: person.birthDate)
            // The kiosk's default: 60 s to the reset, and the server keeps the session 15 s longer.
            clock.withLock { $0 += 70 }
            #expect(try await browser.get("/kiosk/menu").status == .ok)
            clock.withLock { $0 += 76 }
            #expect(try await browser.get("/kiosk/menu").headers[.location] == "/kiosk")
        }
    }
}
