import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import RegistryCore
import Testing
@testable import App

/// The workstation's sign-in, its role boundaries and the audit lines they leave.
@Suite struct OperatorTests {
    static let password = staffPassword

    /// A store with an administrator and an operator.
    private func staffStore() async throws -> AppDatabase {
        try await storeWithStaff([("admin", "Петрова А. С.", .administrator), ("ivanova", "Иванова М. П.", .operator)])
    }

    private func signIn(_ browser: Browser, _ login: String, password: String = OperatorTests.password) async throws -> TestResponse {
        _ = try await browser.get("/staff/sign-in")
        return try await browser.post("/staff/sign-in", ["login": login, "password": password])
    }

    /// Posts a signed-in staff member's form with the token their page carries.
    private func postAsStaff(_ browser: Browser, from page: String, to uri: String, _ fields: [String: String] = [:]) async throws -> TestResponse {
        let token = try staffFormToken(in: try await browser.get(page).text)
        var fields = fields
        fields["csrf"] = token
        return try await browser.postRaw(uri, fields)
    }

    @Test func anyoneNotSignedInIsSentToTheSignInFormAndComesBack() async throws {
        try await withRegistry(database: try await staffStore()) { client in
            let browser = Browser(client)
            let home = try await browser.get("/operator")
            #expect(home.status == .seeOther && home.headers[.location] == "/staff/sign-in")
            let accounts = try await browser.get("/staff/accounts")
            #expect(accounts.headers[.location] == "/staff/sign-in?next=%2Fstaff%2Faccounts")
            let form = try await browser.get("/staff/sign-in?next=/staff/accounts")
            #expect(form.status == .ok && form.text.contains(#"name="next" value="/staff/accounts""#))
            #expect(form.headers[.cacheControl] == "no-store")
            // Not a workstation address: no return there.
            #expect(!(try await browser.get("/staff/sign-in?next=https://evil.example/").text.contains("evil.example")))
            let signedIn = try await browser.post("/staff/sign-in", ["login": "ADMIN ", "password": Self.password, "next": "/staff/accounts"])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/staff/accounts")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("staff=") })
            #expect(cookie.contains("Path=/operator") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            #expect(try await browser.get("/staff/accounts").status == .ok)
        }
    }

    @Test func aWrongPasswordIsRefusedTheSameWayAsAnUnknownLoginAndBothAreAudited() async throws {
        let database = try await staffStore()
        try await withRegistry(database: database) { client in
            let wrong = try await signIn(Browser(client), "ivanova", password: "не тот пароль 1")
            let unknown = try await signIn(Browser(client), "nobody", password: "не тот пароль 1")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong.text.contains("Имя для входа или пароль не подходят"))
            #expect(!wrong.headers[values: .setCookie].contains { $0.hasPrefix("staff=") && !$0.contains("Max-Age=0") })
        }
        let failed = try database.auditEntries(AuditQuery(action: AuditTrail.Action.signInFailed.rawValue))
        #expect(failed.map(\.actor).sorted() == ["account:\(try #require(try database.account(login: "ivanova")).id)", #"login:"nobody""#].sorted())
        #expect(!failed.contains { $0.detail.contains("пароль") }, "a typed password never reaches the trail")
    }

    @Test func signingInIsThrottledPerAccountEvenWithTheRightPassword() async throws {
        try await withRegistry(database: try await staffStore()) { client in
            for _ in 0..<5 { #expect(try await signIn(Browser(client), "ivanova", password: "не тот пароль 1").status == .unauthorized) }
            let throttled = try await signIn(Browser(client), "ivanova")
            #expect(throttled.status == .tooManyRequests && throttled.text.contains("Слишком много неудачных попыток"))
            // Another account from the same address still signs in.
            #expect(try await signIn(Browser(client), "admin").status == .seeOther)
        }
    }

    @Test func changingOnesOwnPasswordEndsTheAccountsOtherSessions() async throws {
        try await withRegistry(database: try await staffStore()) { client in
            // Given an operator signed in on two computers
            let desk = Browser(client), elsewhere = Browser(client)
            #expect(try await signIn(desk, "ivanova").status == .seeOther)
            #expect(try await signIn(elsewhere, "ivanova").status == .seeOther)
            #expect(try await elsewhere.get("/operator").status == .ok)
            // When the password is changed at the desk
            let changed = try await postAsStaff(desk, from: "/staff/password", to: "/staff/password",
                                                ["current": Self.password, "new": "Другой-пароль-2026", "repeat": "Другой-пароль-2026"])
            #expect(changed.status == .ok && changed.text.contains("Пароль изменён"))
            // Then the other computer is signed out, and the desk goes on (its forms still work)
            #expect(try await elsewhere.get("/operator").headers[.location] == "/staff/sign-in")
            #expect(try await desk.get("/operator").status == .ok)
            #expect(try await postAsStaff(desk, from: "/operator", to: "/staff/sign-out").headers[.location] == "/staff/sign-in?signed-out=1")
        }
    }

    @Test func anOperatorNeverReachesAccountManagement() async throws {
        try await withRegistry(database: try await staffStore()) { client in
            let browser = Browser(client)
            #expect(try await signIn(browser, "ivanova").status == .seeOther)
            let home = try await browser.get("/operator")
            #expect(home.status == .ok && home.text.contains("Иванова М. П.") && !home.text.contains("/staff/accounts"))
            let page = try await browser.get("/staff/accounts")
            #expect(page.status == .forbidden && page.text.contains("Раздел недоступен"))
            let create = try await postAsStaff(browser, from: "/operator", to: "/staff/accounts", ["login": "intruder", "name": "X", "role": "administrator", "password": Self.password])
            #expect(create.status == .forbidden)
            let disable = try await postAsStaff(browser, from: "/operator", to: "/staff/accounts/anything/disable")
            #expect(disable.status == .forbidden)
        }
    }

    @Test func patientAndStaffSessionsNeverOpenEachOthersPages() async throws {
        try await withRegistry(database: try await staffStore()) { client in
            // A staff member's cookie is not a patient's identification.
            let staff = Browser(client)
            #expect(try await signIn(staff, "admin").status == .seeOther)
            let cabinet = try await staff.get("/cabinet")
            #expect(cabinet.status == .seeOther && cabinet.headers[.location]?.hasPrefix("/identify") == true)
            // A patient's session id in the staff cookie is no staff session, and the reverse.
            let patientCookie = Browser(client)
            patientCookie.cookies["staff"] = String(repeating: "a", count: 32)
            #expect(try await patientCookie.get("/operator").headers[.location] == "/staff/sign-in")
            let swapped = Browser(client)
            swapped.cookies["session"] = staff.cookies["staff"]
            #expect(try await swapped.get("/cabinet").headers[.location]?.hasPrefix("/identify") == true)
        }
    }

    @Test func anAdministratorCreatesDisablesAndResetsAccountsAndEveryStepIsAudited() async throws {
        let database = try await staffStore()
        try await withRegistry(database: database) { client in
            let admin = Browser(client)
            #expect(try await signIn(admin, "admin").status == .seeOther)
            let weak = try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts", ["login": "sidorov", "name": "Сидоров П. П.", "role": "operator", "password": "1234567890"])
            #expect(weak.status == .unprocessableContent && weak.text.contains("и буквы, и цифры"))
            let created = try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts", ["login": "Sidorov", "name": "Сидоров П. П.", "role": "supervisor", "password": Self.password])
            #expect(created.status == .ok && created.text.contains("<strong>sidorov</strong> создана"))
            let taken = try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts", ["login": "sidorov", "name": "Другой", "role": "operator", "password": Self.password])
            #expect(taken.text.contains("уже занято"))

            // The new supervisor signs in; the administrator disables the account: the session ends at once.
            let supervisor = Browser(client)
            #expect(try await signIn(supervisor, "sidorov").status == .seeOther)
            #expect(try await supervisor.get("/operator").status == .ok)
            let id = try #require(try await database.account(login: "sidorov")).id
            #expect(try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts/\(id)/disable").status == .seeOther)
            #expect(try await supervisor.get("/operator").headers[.location] == "/staff/sign-in")
            #expect(try await signIn(Browser(client), "sidorov").status == .unauthorized)
            // An administrator cannot disable their own account.
            let own = try #require(try await database.account(login: "admin")).id
            #expect(try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts/\(own)/disable").status == .conflict)

            // Enabled again and reset: the temporary password is shown once, and must be replaced at the first sign-in.
            #expect(try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts/\(id)/enable").status == .seeOther)
            let reset = try await postAsStaff(admin, from: "/staff/accounts", to: "/staff/accounts/\(id)/reset")
            let temporary = try #require(reset.text.range(of: #"<code class="secret">[a-z0-9]{12}</code>"#, options: .regularExpression)
                .map { String(reset.text[$0]).dropFirst(#"<code class="secret">"#.count).prefix(12) }.map(String.init))
            let fresh = Browser(client)
            let first = try await signIn(fresh, "sidorov", password: temporary)
            #expect(first.headers[.location] == "/staff/password")
            #expect(try await fresh.get("/operator").headers[.location] == "/staff/password")
            let changed = try await postAsStaff(fresh, from: "/staff/password", to: "/staff/password", ["current": temporary, "new": "Новый-пароль-2026", "repeat": "Новый-пароль-2026"])
            #expect(changed.status == .ok && changed.text.contains("Пароль изменён"))
            #expect(try await fresh.get("/operator").status == .ok)

            // Signing out ends the session.
            #expect(try await postAsStaff(fresh, from: "/operator", to: "/staff/sign-out").headers[.location] == "/staff/sign-in?signed-out=1")
            #expect(try await fresh.get("/operator").status == .seeOther)
        }
        let actions = try database.auditEntries(AuditQuery()).reversed().map(\.action)
        for expected in ["account.created", "staff.signed-in", "account.disabled", "staff.sign-in-failed", "account.enabled", "account.password-reset",
                         "staff.password-changed", "staff.signed-out"] {
            #expect(actions.contains(expected), "\(expected) is in the trail")
        }
        let verification = try await AuditTrail(database: database).verify()
        #expect(verification.firstBreak == nil && verification.checked == actions.count)
    }
}

/// Errors at workstation addresses are shown in the workstation's own layout.
@Suite struct OperatorErrorPageTests {
    @Test func aMissingWorkstationPageIsShownInTheWorkstationsLayout() async throws {
        try await withRegistry(database: try await storeWithStaff([("ivanova", "Иванова М. П.", .operator)])) { client in
            let browser = Browser(client)
            _ = try await signInStaff(browser, "ivanova")
            let missing = try await browser.get("/operator/no/such/page")
            #expect(missing.status == .notFound && missing.text.contains("desk-header") && missing.text.contains("На рабочее место"))
            #expect(!missing.text.contains("site-header"))
            // The patient site's own errors keep the site's layout.
            let patientMissing = try await browser.get("/no/such/page")
            #expect(patientMissing.status == .notFound && patientMissing.text.contains("site-header"))
        }
    }
}
