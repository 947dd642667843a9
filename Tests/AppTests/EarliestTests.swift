import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import ReferenceMIS
import Testing
@testable import App
@testable import Web

/// The earliest free time of a specialty, across clinics, the rules applied.
@Suite("Earliest free time")
struct EarliestTests {
    /// The instants of the result lines, in page order.
    private func starts(_ html: String) -> [Date] {
        html.ranges(of: #/<time datetime="([^"]+)">/#).compactMap { ISO8601DateFormatter().date(from: String(html[$0]).components(separatedBy: "\"")[1]) }
    }

    /// The result lines' check-page links.
    private func links(_ html: String) -> [String] {
        html.ranges(of: #/href="(/book\?[^"]+)"/#).map { String(html[$0]).components(separatedBy: "\"")[1].replacingOccurrences(of: "&amp;", with: "&") }
    }

    /// The earliest bookable start of `federalCode` in `clinics`, as the MIS itself lists free times.
    private func earliest(_ federalCode: String, in clinics: [String], _ mis: ReferenceMIS) throws -> Date? {
        let now = Date(), from = ProtocolTime.day(now, in: .current), to = ProtocolTime.day(now.addingTimeInterval(13 * 86_400), in: .current)
        var starts: [Date] = []
        for clinic in clinics {
            for specialty in try mis.specialties(clinic: clinic, now: now) where specialty.federalCode == federalCode {
                for doctor in try mis.doctors(clinic: clinic, specialty: specialty.id, now: now) {
                    starts += try mis.availableAppointments(clinic: clinic, doctor: doctor.id, from: from, to: to, now: now).map(\.start).filter { $0.timeIntervalSince(now) >= 3 * 3_600 }
                }
            }
        }
        return starts.min()
    }

    @Test func aVisitorChoosesADistrictAndGetsTheEarliestTimesOfEveryClinicInIt() async throws {
        try await withDemoRegion { browser, mis in
            let first = try await browser.get("/earliest")
            #expect(first.status == .ok && first.text.contains("<select id=\"district\" name=\"district\">") && !first.text.contains("id=\"specialty\""))
            let district = try mis.clinic("101").districtID
            let chosen = try await browser.get("/earliest?district=\(district)").text
            #expect(chosen.contains("<option value=\"92\">Хирург</option>"))
            let found = try await browser.get("/earliest?district=\(district)&specialty=92")
            #expect(found.status == .ok && found.headers[.cacheControl] == "no-cache")
            let times = starts(found.text)
            #expect(!times.isEmpty && times == times.sorted())
            let clinics = try mis.clinics(district: district).map(\.id)
            #expect(times.first == (try earliest("92", in: clinics, mis)))
            #expect(times.allSatisfy { $0.timeIntervalSinceNow >= 3 * 3_600 - 60 })
            // Each result is one click from its check page.
            let link = try #require(links(found.text).first)
            let check = try await browser.get(link)
            #expect(check.headers[.location]?.hasPrefix("/identify?next=%2Fbook") == true)
        }
    }

    @Test func aSignedInPatientSearchesTheirOwnClinicsWithTheRulesApplied() async throws {
        try await withDemoRegion { browser, mis in
            try await identifyAdult(browser, mis)
            let me = try await browser.get("/me").text
            #expect(me.contains("href=\"/earliest?specialty=76\">Терапевт участковый</a>"))
            let found = try await browser.get("/earliest?specialty=76")
            #expect(found.status == .ok && found.headers[.cacheControl] == "no-store")
            #expect(!found.text.contains("id=\"district\""))
            #expect(found.text.contains("ваш участковый врач"))
            let times = starts(found.text)
            #expect(!times.isEmpty && times == times.sorted())
            // Book the first: the same day is then left out (one appointment per specialty a day).
            let link = try #require(links(found.text).first)
            let check = try await browser.get(link).text
            let query = try #require(URLComponents(string: link)?.queryItems)
            let form = Dictionary(uniqueKeysWithValues: query.map { ($0.name, $0.value ?? "") }).merging(["requestId": try requestID(onCheckPage: check)]) { $1 }
            #expect(try await browser.post("/book", form).status == .seeOther)
            let again = starts(try await browser.get("/earliest?specialty=76").text)
            let moscow = TimeZone(identifier: "Europe/Moscow")!
            #expect(!again.contains { ProtocolTime.day($0, in: moscow) == ProtocolTime.day(times[0], in: moscow) })
        }
    }

    @Test func anUnknownDistrictOrSpecialtyIsJustTheForm() async throws {
        try await withDemoRegion { browser, _ in
            let page = try await browser.get("/earliest?district=nowhere&specialty=%3Cscript%3E")
            #expect(page.status == .ok && !page.text.contains("<script>") && !page.text.contains("id=\"results-heading\""))
        }
    }
}
