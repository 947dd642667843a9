import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import PatientChannel
@testable import Web

/// Identification against a live reference MIS, with the browser's cookies carried by hand.
@Suite("Identification")
struct IdentifyTests {
    /// A patient of the demo region: policy and birth date as a person would type them.
    struct Person: Sendable {
        let policy: String
        let birthDate: String
        let document: String
    }

    private func withRegion(_ body: @escaping @Sendable (any TestClientProtocol, ReferenceMIS) async throws -> Void) async throws {
        let database = try MISDatabase.inMemory()
        try DemoRegion(patients: 300).generate(into: database)
        let mis = ReferenceMIS(database: database)
        try mis.openSchedule(now: Date())
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "identify-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { misClient in
            let endpoint = MISEndpoint(id: "reference", url: "http://127.0.0.1:\(misClient.port!)/serverais", keyID: "registry", secret: "identify-secret")
            try await withRegistry(mis: [endpoint]) { client in try await body(client, mis) }
        }
    }

    private func person(_ mis: ReferenceMIS, _ wanted: DemoGuide.Wanted) throws -> Person {
        let person = try #require(try DemoGuide(mis).people(wanted).first)
        return Person(policy: person.policy, birthDate: person.typedBirthDate, document: person.document)
    }

    /// GETs the form, then posts `fields` with its CSRF token; returns the response and the cookies to keep.
    private func post(_ client: any TestClientProtocol, _ fields: [String: String]) async throws -> (TestResponse, String) {
        let form = try await client.execute(uri: "/identify", method: .get) { $0 }
        let csrfCookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("csrf=") })
        let cookie = String(csrfCookie.dropFirst(5).prefix { $0 != ";" })
        let token = try formToken(in: String(buffer: form.body))
        // The form's token is derived from the cookie, never the cookie itself.
        #expect(token != cookie)
        var all = fields
        all["csrf"] = token
        let body = all.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        let response = try await client.execute(uri: "/identify", method: .post, headers: [.cookie: "csrf=\(cookie)", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { $0 }
        return (response, "csrf=\(cookie)")
    }

    @Test func aPatientIsFoundAndGetsAFreshSession() async throws {
        try await withRegion { client, mis in
            let person = try person(mis, DemoGuide.Wanted(policy: .unified, hasNamesake: false))
            let spaced = person.policy.enumerated().map { $0.offset % 4 == 0 && $0.offset > 0 ? " \($0.element)" : "\($0.element)" }.joined()
            let (response, _) = try await post(client, ["policy": spaced, "birthDate": person.birthDate, "next": "/districts"])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/districts")
            let session = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax"))
            let id = String(session.dropFirst(8).prefix(32))
            try await client.execute(uri: "/me", method: .get, headers: [.cookie: "session=\(id)"]) { me in
                #expect(me.status == .ok)
                #expect(String(buffer: me.body).contains("Здравствуйте"))
                #expect(me.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test func mistakesAreExplainedAndInputKept() async throws {
        try await withRegion { client, _ in
            let (response, _) = try await post(client, ["policy": "7700 0000 0000 0003", "birthDate": "31.02.1980"])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("class=\"error-summary\""))
            #expect(html.contains("опечатка"))
            #expect(html.contains("Введите дату рождения"))
            #expect(html.contains("value=\"7700 0000 0000 0003\""))
            #expect(html.contains("value=\"31.02.1980\""))
        }
    }

    @Test func namesakesAreAskedForTheirDocument() async throws {
        try await withRegion { client, mis in
            let person = try person(mis, DemoGuide.Wanted(hasNamesake: true))
            let (first, _) = try await post(client, ["policy": person.policy, "birthDate": person.birthDate])
            #expect(first.status == .unprocessableContent)
            #expect(String(buffer: first.body).contains("Укажите серию и номер паспорта"))
            let (second, _) = try await post(client, ["policy": person.policy, "birthDate": person.birthDate, "document": person.document])
            #expect(second.status == .seeOther)
        }
    }

    @Test func anUnknownPatientReadsWhatToDo() async throws {
        try await withRegion { client, _ in
            let (response, _) = try await post(client, ["policy": "7700 0000 0000 0008", "birthDate": "01.01.1990"])
            #expect(String(buffer: response.body).contains("Мы не нашли вашу карту"))
            #expect(String(buffer: response.body).contains("href=\"/districts\""))
        }
    }

    @Test func aTicketAddressWithEscapesComesBackAfterSignInEncodedOnce() async throws {
        try await withRegistry { client in
            // Given a signed-out visitor opening a ticket whose address carries percent-escapes
            for (path, next) in [("/tickets/a%20b%2Fc", "%2Ftickets%2Fa%2520b%252Fc"), ("/tickets/a%20b/cancel", "%2Ftickets%2Fa%2520b%2Fcancel"),
                                 ("/tickets/abc", "%2Ftickets%2Fabc")] {
                let response = try await client.execute(uri: path, method: .get) { $0 }
                // Then the sign-in form is asked to bring them back to that very address
                #expect(response.status == .seeOther && response.headers[.location] == "/identify?next=\(next)", "\(path)")
            }
        }
    }

    @Test func postsWithoutTheFormTokenAreRefused() async throws {
        try await withRegion { client, _ in
            try await client.execute(uri: "/identify", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "policy=1&birthDate=1")) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("Форма устарела"))
            }
        }
    }

    @Test func guessingAPolicyThenAsksForTheDocumentAndAFloodFromOneAddressWaits() async throws {
        try await withRegion { client, _ in
            var last: TestResponse?
            for _ in 0..<(PatientFinder.attemptsPerPolicy + 1) {
                last = try await post(client, ["policy": "7700 0000 0000 0008", "birthDate": "01.01.1990"]).0
            }
            // Past the policy's limit the form asks for the identity document too, rather than refusing
            let asked = try #require(last)
            #expect(asked.status == .unprocessableContent && asked.text.contains("name=\"document\"") && asked.text.contains("укажите ещё серию и номер паспорта"))
            // Guessing documents as well from one address: far past the address's limit it waits
            var status: HTTPResponse.Status = .ok
            for attempt in 0..<(PatientFinder.floodFactor * 30) {
                status = try await post(client, ["policy": "7700 0000 0000 0008", "birthDate": "01.01.1990", "document": "4500 \(100_000 + attempt)"]).0.status
            }
            #expect(status == .tooManyRequests)
        }
    }

    @Test func wrongBirthDatesForOnePolicyAreCountedTogetherFromAnyAddress() async throws {
        try await withRegion { client, mis in
            let person = try person(mis, DemoGuide.Wanted(policy: .unified, hasNamesake: false))
            // Given ten wrong birth dates for one real policy, each a different date
            for day in 1...PatientFinder.attemptsPerPolicy {
                let status = try await post(client, ["policy": person.policy, "birthDate": String(format: "%02d.02.1931", day)]).0.status
                #expect(status == .unprocessableContent)
            }
            // Then an eleventh try, even the right date, is asked for the identity document too
            let (asked, _) = try await post(client, ["policy": person.policy, "birthDate": person.birthDate])
            #expect(asked.status == .unprocessableContent && asked.text.contains("name=\"document\"") && asked.text.contains("укажите ещё серию и номер паспорта"))
            // …and with it the patient signs in: the right answer is never refused
            let (signedIn, _) = try await post(client, ["policy": person.policy, "birthDate": person.birthDate, "document": person.document])
            #expect(signedIn.status == .seeOther)
        }
    }

    @Test func successfulSignInsAreNotCountedAndTheirBrowserIsNotLockedOut() async throws {
        try await withRegion { client, mis in
            let person = try person(mis, DemoGuide.Wanted(policy: .unified, hasNamesake: false))
            // Given a patient who signs in fifteen times within the hour
            var known: String?
            for _ in 0..<15 {
                let (response, _) = try await post(client, ["policy": person.policy, "birthDate": person.birthDate])
                #expect(response.status == .seeOther)
                known = response.headers[values: .setCookie].first { $0.hasPrefix("known=") }.map { String($0.dropFirst(6).prefix { $0 != ";" }) }
            }
            let proof = try #require(known)
            // When a stranger then makes ten wrong guesses on that policy
            for day in 1...PatientFinder.attemptsPerPolicy {
                _ = try await post(client, ["policy": person.policy, "birthDate": String(format: "%02d.03.1932", day)])
            }
            #expect(try await post(client, ["policy": person.policy, "birthDate": person.birthDate]).0.status == .unprocessableContent)
            // Then the patient's own browser, which has signed in with that policy before, still gets in
            let form = try await client.execute(uri: "/identify", method: .get) { $0 }
            let cookie = try #require(form.headers[values: .setCookie].first { $0.hasPrefix("csrf=") }.map { String($0.dropFirst(5).prefix { $0 != ";" }) })
            let body = "policy=\(person.policy)&birthDate=\(person.birthDate)&csrf=\(try formToken(in: String(buffer: form.body)))"
            let response = try await client.execute(uri: "/identify", method: .post, headers: [.cookie: "csrf=\(cookie); known=\(proof)", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { $0 }
            #expect(response.status == .seeOther)
            // And a forged proof does not
            let forged = try await client.execute(uri: "/identify", method: .post, headers: [.cookie: "csrf=\(cookie); known=\(String(repeating: "0", count: 32))", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)) { $0 }
            #expect(forged.status == .unprocessableContent && forged.text.contains("укажите ещё серию и номер паспорта"))
        }
    }

    @Test func aSelfChosenCookieAndFieldPairIsRefused() async throws {
        try await withRegion { client, _ in
            let chosen = String(repeating: "ab", count: 16)
            for token in [chosen, chosen + chosen] {
                let response = try await client.execute(uri: "/identify", method: .post, headers: [.cookie: "csrf=\(token)", .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "policy=1&birthDate=1&csrf=\(token)")) { $0 }
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test func onceSignedInFormsMustCarryTheSessionsOwnToken() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            _ = try await browser.get("/cabinet/contact")
            let sessionToken = try #require(browser.formToken), sessionCookie = browser.cookies["csrf"]
            // Given a second, valid signed pair from an anonymous visit (another browser's form)
            let other = Browser(browser.client)
            _ = try await other.get("/identify")
            let foreign = try #require(other.formToken)
            #expect(foreign != sessionToken)
            // When the signed-in browser posts with that foreign pair, it is refused; with its own token it passes
            browser.cookies["csrf"] = other.cookies["csrf"]
            browser.formToken = foreign
            #expect(try await browser.post("/cabinet/contact", ["phone": "", "email": ""]).status == .forbidden)
            browser.cookies["csrf"] = sessionCookie
            browser.formToken = sessionToken
            #expect(try await browser.post("/cabinet/contact", ["phone": "", "email": ""]).status == .seeOther)
        }
    }

    @Test func anOldPolicyIsFoundWithOrWithoutItsSpace() async throws {
        try await withRegion { client, mis in
            let person = try person(mis, DemoGuide.Wanted(policy: .old, hasNamesake: false))
            for typed in [person.policy, person.policy.replacingOccurrences(of: " ", with: "")] {
                let (response, _) = try await post(client, ["policy": typed, "birthDate": person.birthDate])
                #expect(response.status == .seeOther, "\(typed)")
            }
        }
    }

    @Test func thePolicyFieldTakesLettersOnPhones() async throws {
        try await withRegistry { client in
            let form = try await client.execute(uri: "/identify", method: .get) { $0.text }
            let field = try #require(form.range(of: "<input id=\"policy\"[^>]*>", options: .regularExpression).map { String(form[$0]) })
            // An old policy's series has letters: no digits-only keypad.
            #expect(!field.contains("inputmode=\"numeric\""))
        }
    }

    @Test func onlyThisSitesPagesFollowIdentification() {
        #expect(SiteRoute.identify(next: "/me", expired: true).path == "/identify?next=%2Fme&expired=1")
        #expect(SiteRoute.identify(expired: true).path == "/identify?expired=1")
        #expect(SiteRoute.identify().path == "/identify")
        #expect(SiteRoute.cabinet(cancelled: "ab12").path == "/cabinet?cancelled=ab12")
        #expect(SiteRoute.localPath(SiteRoute.ticketCancel("ab12").path) == "/tickets/ab12/cancel")
        #expect(SiteRoute.localPath("/clinics/101") == "/clinics/101")
        #expect(SiteRoute.localPath("/book?clinic=101&doctor=7&slot=9") == "/book?clinic=101&doctor=7&slot=9")
        #expect(SiteRoute.localPath("/search/doctors?q=%D0%98%D0%B2") != nil)
        #expect(SiteRoute.localPath("/") == "/")
        #expect(SiteRoute.localPath("//evil.example/") == nil)
        #expect(SiteRoute.localPath("https://evil.example/") == nil)
        #expect(SiteRoute.localPath("/\\evil") == nil)
        // Browsers drop tabs and newlines, so these would lead to another host.
        #expect(SiteRoute.localPath("/\t/evil.example") == nil)
        #expect(SiteRoute.localPath("/\n/evil.example") == nil)
        #expect(SiteRoute.localPath("/ /evil.example") == nil)
        // Paths the router does not know are not followed either.
        #expect(SiteRoute.localPath("/evil.example") == nil)
        #expect(SiteRoute.localPath("/clinics/101/../../evil") == nil)
        #expect(SiteRoute.localPath("/clinics//doctors/1") == nil)
    }

    @Test func aTabbedAddressInNextLeadsHomeNotAway() async throws {
        try await withRegion { client, mis in
            let person = try person(mis, DemoGuide.Wanted(policy: .unified, hasNamesake: false))
            let (response, _) = try await post(client, ["policy": person.policy, "birthDate": person.birthDate, "next": "/\t/evil.example"])
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/me")
        }
    }
}
