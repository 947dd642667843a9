import Foundation
import Hummingbird
import HummingbirdTesting
import Persistence
import ReferenceMIS
import Testing
@testable import App

/// Joining the waiting list from the site: once for the same wish.
@Suite("Waiting list")
struct WaitlistTests {
    @Test func theSameWishTwiceIsRefusedWithWhereTheFirstIs() async throws {
        let database = try AppDatabase.inMemory()
        try await withDemoRegion(database: database) { browser, mis in
            try await identifyAdult(browser, mis)
            let form = try await browser.get("/waitlist/new?clinic=101&specialty=113")
            #expect(form.status == .ok)
            let from = try #require(form.text.range(of: #"name="from"[^>]*value="[0-9-]+""#, options: .regularExpression).map { String(form.text[$0]).suffix(11).dropLast() })
            let fields = ["clinic": "101", "specialty": "113", "doctor": "", "from": String(from), "to": String(from), "part": "", "email": "anna@example.ru", "consent": "yes"]
            // Given a patient who joined once
            #expect(try await browser.post("/waitlist", fields).status == .seeOther)
            // When the same wish is sent again
            _ = try await browser.get("/waitlist/new?clinic=101&specialty=113")
            let again = try await browser.post("/waitlist", fields)
            // Then it is refused, saying where the first one is, and only one entry waits
            #expect(again.status == .conflict && again.text.contains("заявка есть в личном кабинете"))
            let key = try #require(try await database.waitlist(patientKey: AppDatabase.patientKey(policy: adultOf101(mis).policy, birthDate: adultOf101(mis).birthDate)).first).patientKey
            #expect(try await database.waitlist(patientKey: key).filter { $0.status == .waiting }.count == 1)
        }
    }
}
