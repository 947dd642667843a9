import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import OperatorChannel
@testable import StaffChannel
import Web

/// A supervisor reads the audit trail: by operator, patient, action and period, and as CSV; an
/// operator cannot.
@Suite struct AuditViewTests {
    private func store() async throws -> AppDatabase {
        try await storeWithStaff([("ivanova", "Иванова М. П.", .operator), ("chief", "Петрова А. С.", .supervisor)])
    }

    private func signIn(_ browser: Browser, _ login: String) async throws -> String {
        try await signInStaff(browser, login)
    }

    @Test func aSupervisorFindsAnOperatorsLookAtAPatientAndExportsIt() async throws {
        let database = try await store()
        try await withDemoRegion(database: database) { visitor, mis in
            let person = try #require(try DemoGuide(mis).people(.adult(of: "101")).first)
            let operatorBrowser = Browser(visitor.client)
            let token = try await signIn(operatorBrowser, "ivanova")
            #expect(try await operatorBrowser.postRaw("/operator/search", ["number": person.policy, "csrf": token]).status == .ok)
            #expect(try await operatorBrowser.get("/staff/audit").status == .forbidden)

            let supervisor = Browser(visitor.client)
            let chiefToken = try await signIn(supervisor, "chief")
            #expect(try await supervisor.get("/staff/audit").status == .ok)
            let operatorID = try #require(try await database.account(login: "ivanova")).id
            // By patient (their policy and birth date as typed), operator and action.
            let typedBirth = person.typedBirthDate
            let found = try await supervisor.postRaw("/staff/audit", ["policy": person.policy, "birthDate": typedBirth, "account": operatorID, "action": "patient.shown", "csrf": chiefToken])
            #expect(found.status == .ok && found.text.contains("Найдено строк: 1") && found.text.contains("Иванова М. П. (ivanova)") && found.text.contains("пациент в результатах поиска"))
            #expect(!found.text.contains(person.policy + "<"), "the policy is not shown back in the results")
            // A period that holds nothing.
            let empty = try await supervisor.postRaw("/staff/audit", ["from": "01.01.2020", "until": "31.01.2020", "csrf": chiefToken])
            #expect(empty.text.contains("Найдено строк: 0"))
            let bad = try await supervisor.postRaw("/staff/audit", ["from": "вчера", "csrf": chiefToken])
            #expect(bad.status == .unprocessableContent && bad.text.contains("дату начала"))
            // The same as CSV, formulas defused.
            let csv = try await supervisor.postRaw("/staff/audit/export", ["account": operatorID, "csrf": chiefToken])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"audit-") == true)
            let key = AppDatabase.patientKey(policy: person.policy, birthDate: person.birthDate)
            #expect(csv.text.contains(key) && csv.text.contains("\"поиск пациента\"") && csv.text.hasPrefix("\u{FEFF}\"№\";\"время\""))
            // Looking at the trail is itself in the trail.
            #expect(try database.auditEntries(AuditQuery(action: "audit.exported")).count == 1)
            #expect(try await AuditTrail(database: database).verify().firstBreak == nil)
        }
    }

    @Test func csvCellsCannotCarryFormulas() {
        let entry = AuditEntry(at: Date(timeIntervalSince1970: 0), actor: #"login:"=HYPERLINK(1)""#, action: "staff.sign-in-failed", detail: "+1; \"x\"", address: "-2")
        let csv = AuditRow.csv([AuditRow(entry: entry, account: nil, zone: .gmt)]).text
        #expect(csv.contains(#""'login:""=HYPERLINK(1)"""""#) == false)
        #expect(csv.contains(#""'+1; ""x""""#) && csv.contains(#""'-2""#))
    }
}
