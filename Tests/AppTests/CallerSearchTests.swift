import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App

/// The operator's search for a caller, through the reference MIS, and the audit lines it leaves.
@Suite struct CallerSearchTests {
    private func operatorStore() async throws -> AppDatabase {
        try await storeWithStaff([("ivanova", "Иванова М. П.", .operator)])
    }

    private func search(_ browser: Browser, _ fields: [String: String]) async throws -> TestResponse {
        let token = try staffFormToken(in: try await browser.get("/operator").text)
        return try await browser.postRaw("/operator/search", fields.merging(["csrf": token]) { given, _ in given })
    }

    /// The document as a search must show it: the first two and last three letters or digits, the rest hidden.
    static func masked(_ document: String) -> String {
        let total = document.filter { $0.isLetter || $0.isNumber }.count
        var seen = 0
        return String(document.map { character -> Character in
            guard character.isLetter || character.isNumber else { return character }
            seen += 1
            return seen <= 2 || seen > total - 3 ? character : "*"
        })
    }

    private func signedIn(_ client: any TestClientProtocol) async throws -> Browser {
        let browser = Browser(client)
        _ = try await signInStaff(browser, "ivanova")
        return browser
    }

    @Test func anOperatorFindsACallerByPolicyAndTheLookIsAudited() async throws {
        let database = try await operatorStore()
        try await withDemoRegion(database: database) { visitor, mis in
            let browser = try await signedIn(visitor.client)
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101")).first)
            let found = try await search(browser, ["number": person.policy, "kind": "any"])
            #expect(found.status == .ok && found.text.contains("Найдено: 1"))
            #expect(found.text.contains(person.typedBirthDate) && found.text.contains(Self.masked(person.document)))
            #expect(!found.text.contains(person.document), "the document is shown masked only")
            #expect(found.headers[.cacheControl] == "no-store")
            let key = AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate)
            let shown = try database.auditEntries(AuditQuery(patientKey: key))
            #expect(shown.map(\.action) == ["patient.shown"] && shown[0].detail == "search by policy")
            let searches = try database.auditEntries(AuditQuery(action: "patient.search"))
            #expect(searches.map(\.detail) == ["policy: 1 shown"] && !searches[0].detail.contains(person.policy))
        }
    }

    @Test func namesakesAreShownSideBySideAndBadNumbersAreExplained() async throws {
        try await withDemoRegion(database: try await operatorStore()) { visitor, mis in
            let browser = try await signedIn(visitor.client)
            // Two cards share this policy and birth date: both are listed, told apart by what the table shows.
            let twin = try #require(try DemoGuide(mis).people(DemoGuide.Wanted(hasNamesake: true)).first)
            let both = try await search(browser, ["number": twin.policy])
            #expect(both.text.contains("Найдено: 2"))
            // A SNILS whose checksum fails, a policy with a wrong check digit, nothing at all.
            let snils = try await search(browser, ["number": "112-233-445 96", "kind": "snils"])
            #expect(snils.status == .unprocessableContent && snils.text.contains("контрольное число не сходится"))
            let policy = try await search(browser, ["number": "7700000000000009", "kind": "any"])
            #expect(policy.status == .unprocessableContent && policy.text.contains("последняя цифра не сходится"))
            let empty = try await search(browser, [:])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Введите номер полиса"))
            let surnameOnly = try await search(browser, ["lastName": "Иванова"])
            #expect(surnameOnly.text.contains("по одной фамилии искать нельзя"))
            let nobody = try await search(browser, ["lastName": "Несуществующая", "firstName": "Фамилия", "birthDate": "01.01.1950"])
            #expect(nobody.status == .ok && nobody.text.contains("Никого не нашли"))
        }
    }

    @Test func theChosenCallersCardShowsTheirAppointmentsFromEveryChannel() async throws {
        let database = try await operatorStore()
        try await withDemoRegion(database: database) { patient, mis in
            // The patient books a surgeon on the site first.
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101")).first)
            try await identify(patient, policy: person.policy, birthDate: person.birthDate)
            let (doctor, slot, _) = try await firstSurgeonTime(patient)
            let check = try await patient.get("/book?clinic=101&doctor=\(doctor)&slot=\(slot)")
            #expect(try await patient.post("/book", ["clinic": "101", "doctor": doctor, "slot": slot, "requestId": try requestID(onCheckPage: check.text)]).status == .seeOther)

            let browser = try await signedIn(patient.client)
            #expect(try await browser.get("/operator/caller").headers[.location] == "/operator", "no caller chosen yet")
            let found = try await search(browser, ["number": person.policy])
            #expect(found.text.contains(#"name="choice" value="0""#) && found.text.contains(#"accesskey="1""#))
            let token = try staffFormToken(in: found.text)
            // A place that is not in the list chooses nobody.
            #expect(try await browser.postRaw("/operator/caller/choose", ["choice": "7", "csrf": token]).headers[.location] == "/operator")
            #expect(try await browser.postRaw("/operator/caller/choose", ["choice": "0", "csrf": token]).headers[.location] == "/operator/caller")
            let card = try await browser.get("/operator/caller")
            #expect(card.status == .ok && card.headers[.cacheControl] == "no-store")
            #expect(card.text.contains("Предстоящие записи") && card.text.contains("сайт") && card.text.contains("Поликлиника № 1"))
            #expect(!card.text.contains("Предстоящих записей нет"))
            let key = AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate)
            #expect(try database.auditEntries(AuditQuery(patientKey: key, action: "patient.card-viewed")).count == 1)
            // The caller's phone, with consent given by phone and noted as such.
            let noConsent = try await browser.postRaw("/operator/caller/contact", ["phone": "8 912 345 67 89", "csrf": token])
            #expect(noConsent.status == .unprocessableContent && noConsent.text.contains("согласен ли пациент"))
            let badPhone = try await browser.postRaw("/operator/caller/contact", ["phone": "12345", "consent": "phone", "csrf": token])
            #expect(badPhone.status == .unprocessableContent && badPhone.text.contains("Мобильный номер"))
            #expect(try await browser.postRaw("/operator/caller/contact", ["phone": "8 912 345 67 89", "consent": "phone", "csrf": token]).headers[.location] == "/operator/caller?contact=1")
            #expect(try await browser.get("/operator/caller?contact=1").text.contains("согласие на сообщения получено по телефону"))
            let account = try #require(try await database.account(login: "ivanova"))
            #expect(try database.contact(patientKey: key)?.consentBy == "operator:\(account.id)")
            #expect(try database.auditEntries(AuditQuery(patientKey: key, action: "patient.contacts-changed")).count == 1)
            // Ending the call lets the caller go.
            #expect(try await browser.postRaw("/operator/caller/end", ["csrf": token]).headers[.location] == "/operator")
            #expect(try await browser.get("/operator/caller").headers[.location] == "/operator")
        }
    }

    @Test func theCardNamesTheCallersDispensaryRegistrations() async throws {
        try await withDemoRegion(database: try await operatorStore()) { visitor, mis in
            let person = try #require(try DemoGuide(mis).people(DemoGuide.Wanted(attachedTo: "101", adult: true, policy: .unified, hasNamesake: false, registeredFor: "115")).first)
            let browser = try await signedIn(visitor.client)
            let found = try await search(browser, ["number": person.policy])
            #expect(try await browser.postRaw("/operator/caller/choose", ["choice": "0", "csrf": try staffFormToken(in: found.text)]).status == .seeOther)
            let card = try await browser.get("/operator/caller").text
            #expect(card.contains("<dt>Диспансерный учёт</dt><dd>Кардиолог"))
        }
    }

    @Test func anOperatorCannotHarvestTheRegionBySearching() async throws {
        let database = try await operatorStore()
        try await withDemoRegion(database: database) { visitor, _ in
            let browser = try await signedIn(visitor.client)
            for index in 0..<60 {
                #expect(try await search(browser, ["lastName": "Иванова", "firstName": "Анна", "birthDate": "01.01.\(1940 + index)"]).status == .ok)
            }
            let refused = try await search(browser, ["lastName": "Иванова", "firstName": "Анна", "birthDate": "01.01.2001"])
            #expect(refused.status == .tooManyRequests && refused.text.contains("Слишком много поисков") && refused.headers[.retryAfter] == "900")
            #expect(try database.auditEntries(AuditQuery(action: "patient.search")).first?.detail == "name: refused, too many searches")
        }
    }

    @Test func theSearchNeedsAStaffSessionAndItsToken() async throws {
        try await withDemoRegion(database: try await operatorStore()) { visitor, _ in
            let anonymous = Browser(visitor.client)
            _ = try await anonymous.get("/staff/sign-in")
            #expect(try await anonymous.post("/operator/search", ["number": "1234567890123456"]).headers[.location]?.hasPrefix("/staff/sign-in") == true)
            let browser = try await signedIn(visitor.client)
            #expect(try await browser.postRaw("/operator/search", ["number": "1234567890123456", "csrf": "forged"]).status == .forbidden)
        }
    }
}
