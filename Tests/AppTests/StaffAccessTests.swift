import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App

/// All staff sign in once on the staff pages: the call centre's roles land at the workstation, the
/// clinics' roles and administrators on the staff pages, and each role sees only what it is for.
@Suite struct StaffAccessTests {
    private func store() async throws -> AppDatabase {
        try await storeWithStaff([("admin", "Петрова А. С.", .administrator), ("ivanova", "Иванова М. П.", .operator),
                                  ("reg", "Сергеева Е. И.", .registrar)], clinics: ["reg": ["101"]])
    }

    private func signIn(_ browser: Browser, _ login: String, next: String? = nil) async throws -> TestResponse {
        _ = try await browser.get("/staff/sign-in")
        return try await browser.post("/staff/sign-in", ["login": login, "password": staffPassword].merging(next.map { ["next": $0] } ?? [:]) { first, _ in first })
    }

    private func post(_ browser: Browser, from page: String, to uri: String, _ fields: [String: String]) async throws -> TestResponse {
        var fields = fields
        fields["csrf"] = try staffFormToken(in: try await browser.get(page).text)
        return try await browser.postRaw(uri, fields)
    }

    @Test func oneSignInOpensEveryStaffChannelAndSignsOutOfAll() async throws {
        try await withRegistry(database: try await store()) { client in
            let browser = Browser(client)
            // Not signed in: the workstation sends to the one sign-in, and a sign-in comes back to the page asked for.
            #expect(try await browser.get("/operator").headers[.location] == "/staff/sign-in")
            #expect(try await browser.get("/operator/book").headers[.location] == "/staff/sign-in?next=%2Foperator%2Fbook")
            let signedIn = try await signIn(browser, "ivanova", next: "/operator/book")
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/operator/book")
            let cookies = signedIn.headers[values: .setCookie].filter { $0.hasPrefix("staff=") }
            #expect(cookies.count == 2 && cookies.contains { $0.contains("Path=/operator;") || $0.hasSuffix("Path=/operator") }
                && cookies.contains { $0.contains("Path=/staff") } && cookies.allSatisfy { $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
            #expect(try await browser.get("/operator").status == .ok)
            // Signing out ends the session for both channels.
            let out = try await post(browser, from: "/operator", to: "/staff/sign-out", [:])
            #expect(out.headers[.location] == "/staff/sign-in?signed-out=1")
            #expect(out.headers[values: .setCookie].filter { $0.hasPrefix("staff=;") || $0.hasPrefix("staff=\"\"") || $0.contains("Max-Age=0") }.count == 2)
            #expect(try await browser.get("/operator").headers[.location] == "/staff/sign-in")
            // Where a sign-in lands without a page asked for: each role's own start page.
            #expect(try await signIn(Browser(client), "ivanova").headers[.location] == "/operator")
            #expect(try await signIn(Browser(client), "admin").headers[.location] == "/staff")
            #expect(try await signIn(Browser(client), "reg").headers[.location] == "/staff")
            // Never back to somewhere else.
            #expect(try await signIn(Browser(client), "reg", next: "//evil.example/staff").headers[.location] == "/staff")
        }
    }

    @Test func eachRoleOpensOnlyItsOwnPagesAndEveryRefusalIsAudited() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { client, _ in
            let operatorDesk = client
            _ = try await signIn(operatorDesk, "ivanova")
            for page in ["/staff/accounts", "/staff/kiosks", "/staff/audit"] {
                let refused = try await operatorDesk.get(page)
                #expect(refused.status == .forbidden && refused.text.contains("Раздел недоступен") && refused.text.contains("«оператор»"), "\(page)")
            }
            let registrar = Browser(operatorDesk.client)
            _ = try await signIn(registrar, "reg")
            let home = try await registrar.get("/staff")
            #expect(home.status == .ok && home.text.contains("Сергеева Е. И., регистратор поликлиники") && home.text.contains("Поликлиника № 1"))
            #expect(!home.text.contains("/staff/accounts") && !home.text.contains("href=\"/operator\""))
            for page in ["/operator", "/operator/book", "/staff/accounts", "/staff/audit"] {
                #expect(try await registrar.get(page).status == .forbidden, "\(page)")
            }
            let refusals = try database.auditEntries(AuditQuery(action: "staff.refused"))
            #expect(refusals.count == 7)
            let registrarID = try #require(try await database.account(login: "reg")).id
            #expect(refusals.filter { $0.actor == "account:\(registrarID)" }.map(\.detail).sorted() == ["/operator", "/operator/book", "/staff/accounts", "/staff/audit"].sorted())
        }
    }

    @Test func anAdministratorGivesAClinicRoleItsClinicsAndChangesThem() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { admin, _ in
            _ = try await signIn(admin, "admin")
            let page = try await admin.get("/staff/accounts")
            #expect(page.text.contains(#"name="clinic-101""#) && page.text.contains(#"<option value="registrar">регистратор поликлиники</option>"#))
            // A registrar needs a clinic; an operator takes none; a clinic the region does not have is refused.
            let account = ["login": "kuzmina", "name": "Кузьмина О. В.", "password": "Пароль-для-теста-43"]
            for (fields, why) in [(["role": "registrar"], "no clinic"), (["role": "operator", "clinic-101": "1"], "an operator with a clinic"),
                                  (["role": "head", "clinic-999": "1"], "an unknown clinic")] {
                let refused = try await post(admin, from: "/staff/accounts", to: "/staff/accounts", account.merging(fields) { first, _ in first })
                #expect(refused.status == .unprocessableContent && refused.text.contains("отметьте хотя бы одну поликлинику") && refused.text.contains(##"href="#clinics""##), "\(why)")
            }
            let created = try await post(admin, from: "/staff/accounts", to: "/staff/accounts",
                                         account.merging(["role": "head", "clinic-101": "1", "clinic-107": "1"]) { first, _ in first })
            #expect(created.status == .ok && created.text.contains("Поликлиника № 1, Поликлиника № 7"))
            let head = try #require(try await database.account(login: "kuzmina"))
            #expect(head.role == .head && head.clinics == ["101", "107"])
            #expect(try database.auditEntries(AuditQuery(action: "account.created")).contains { $0.detail == "\(head.id) kuzmina head 101,107" })

            // Another clinic for the registrar: it takes effect on the registrar's next page.
            let registrar = Browser(admin.client)
            _ = try await signIn(registrar, "reg")
            let registrarID = try #require(try await database.account(login: "reg")).id
            let form = try await admin.get("/staff/accounts/\(registrarID)/access")
            #expect(form.status == .ok && form.text.contains(#"name="clinic-101" value="1" checked"#))
            let changed = try await post(admin, from: "/staff/accounts/\(registrarID)/access", to: "/staff/accounts/\(registrarID)/access",
                                         ["role": "registrar", "clinic-102": "1"])
            #expect(changed.status == .seeOther && changed.headers[.location] == "/staff/accounts")
            #expect(try await database.account(id: registrarID)?.clinics == ["102"])
            #expect(try await registrar.get("/staff").text.contains("Поликлиника № 2"))
            #expect(try database.auditEntries(AuditQuery(action: "account.access-changed")).map(\.detail) == ["\(registrarID) reg registrar 102"])
            // One's own role stays: another administrator changes it.
            let adminID = try #require(try await database.account(login: "admin")).id
            let own = try await post(admin, from: "/staff/accounts/\(adminID)/access", to: "/staff/accounts/\(adminID)/access", ["role": "operator"])
            #expect(own.status == .conflict && own.text.contains("Свою роль и поликлиники изменить нельзя"))
            #expect(try await admin.get("/staff/accounts/nobody/access").status == .notFound)
        }
    }
}
