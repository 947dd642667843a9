import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
import Web

/// The statistics: filled from the MIS's history into the registry's own store, shown as tables,
/// SVG charts and CSV that agree with each other and with the MIS; a head of clinic sees only their
/// clinics, supervisors the region, an operator nothing; a bad period gets a clear message.
@Suite struct StatisticsPageTests {
    private static let moscow = TimeZone(identifier: "Europe/Moscow")!

    private func store() async throws -> AppDatabase {
        try await storeWithStaff([("head", "Орлов П. П.", .head), ("chief", "Петрова А. С.", .supervisor), ("ivanova", "Иванова М. П.", .operator)],
                                 clinics: ["head": ["101"]])
    }

    private func signIn(_ browser: Browser, _ login: String) async throws {
        _ = try await browser.get("/staff/sign-in")
        #expect(try await browser.post("/staff/sign-in", ["login": login, "password": staffPassword]).status == .seeOther)
    }

    /// A reference MIS with a week of history, its figures filled into `database`; `body` gets the
    /// browser, the MIS and the week's first and last day.
    private func withFilledWeek(_ database: AppDatabase, _ body: @escaping @Sendable (Browser, ReferenceMIS, String, String) async throws -> Void) async throws {
        let misDatabase = try MISDatabase.inMemory()
        try DemoRegion(patients: 300).generate(into: misDatabase)
        let mis = ReferenceMIS(database: misDatabase)
        try DemoHistory(days: 7).generate(into: mis, now: Date())
        try mis.openSchedule(now: Date())
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "statistics-test-secret"]))
        try await Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { misClient in
            let endpoint = MISEndpoint(id: "reference", url: "http://127.0.0.1:\(misClient.port!)/serverais", keyID: "registry", secret: "statistics-test-secret")
            let fill = StatisticsFill(region: Region(settings: [endpoint], transport: testTransport, logger: testLogger), database: database, logger: testLogger)
            #expect(await fill.run(now: Date()) == 8 * 28, "every clinic's four weeks back are filled at first")
            #expect(await fill.run(now: Date()) == 0, "and nothing twice")
            // This morning's first-free reading (whatever the hour now), taken once a day.
            var reading = FirstFreeReading(region: Region(settings: [endpoint], transport: testTransport, logger: testLogger), database: database)
            reading.hour = 0
            #expect(await reading.run(now: Date()) == 8)
            #expect(await reading.run(now: Date()) == 0)
            let today = ProtocolTime.day(Date(), in: Self.moscow)
            let first = try #require(StatisticsFillDays.adding(-7, to: today)), last = try #require(StatisticsFillDays.adding(-1, to: today))
            try await withRegistry(mis: [endpoint], database: database) { client in try await body(Browser(client), mis, first, last) }
        }
    }

    @Test func theNumbersOfThePageItsChartsAndItsSpreadsheetsAgreeWithTheMIS() async throws {
        let database = try await store()
        try await withFilledWeek(database) { browser, mis, first, last in
            // Counted here on their own, from what the MIS says: bookings of clinic 101 by channel, by the day of the visit.
            var expected: [MISChannel: Int] = [:], visited = 0, missed = 0
            for doctor in try mis.schedule(clinic: "101", doctor: nil, from: first, to: last, after: nil).doctors {
                for booking in doctor.slots.flatMap(\.bookings) {
                    expected[booking.channel, default: 0] += 1
                    if booking.status == .visited { visited += 1 } else if booking.status == .missed { missed += 1 }
                }
            }
            #expect(expected.values.reduce(0, +) > 50)
            try await signIn(browser, "head")
            let page = try await browser.get("/staff/statistics?period=range&from=\(first)&to=\(last)&basis=visit&clinic=101")
            #expect(page.status == .ok)
            let html = page.text
            let section = try #require(html.components(separatedBy: #"<section class="staff-figure" id="channels""#).dropFirst().first?.components(separatedBy: "</section>").first)
            // The table: one row a channel, the number as the page writes it.
            for (channel, count) in expected {
                #expect(section.contains("<th scope=\"row\">\(channel.title)</th><td>\(count.grouped)</td>"), "\(channel)")
            }
            // The chart: a bar a channel, its value and its length in proportion to the largest.
            let bars = section.matches(of: #/<rect x="[0-9.]+" y="[0-9.]+" width="([0-9.]+)" height="[0-9.]+" data-value="([0-9.]+)"><title>([^<:]+): /#)
            #expect(bars.count == expected.count)
            let largest = Double(expected.values.max() ?? 1)
            for bar in bars {
                let value = try #require(Double(bar.output.2)), width = try #require(Double(bar.output.1))
                #expect(expected.first { $0.key.title == String(bar.output.3) }?.value == Int(value))
                #expect(abs(width - value / largest * 360) < 0.02)
            }
            #expect(section.contains(#"role="img""#) && section.contains("<title id=\"chart-channels-title\">Записи по каналам</title>"))
            // The spreadsheet: the same numbers.
            let csv = try await browser.get("/staff/statistics/export?table=channels&period=range&from=\(first)&to=\(last)&basis=visit&clinic=101")
            #expect(csv.headers[.contentDisposition] == "attachment; filename=\"statistics-channels-101-\(first)-\(last).csv\"")
            for (channel, count) in expected { #expect(csv.text.contains("\"\(channel.title)\";\(count);"), "\(channel)") }
            // No-shows as the MIS's marks make them.
            let share = String(format: "%.1f", Double(missed) / Double(missed + visited) * 100).replacingOccurrences(of: ".", with: ",")
            #expect(html.contains("Неявки (не пришли ÷ пришли и не пришли)</th><td>\(share)\u{00A0}%"))
            // One clinic: its doctors and their fill rate.
            #expect(html.contains(#"id="doctors""#) && html.contains(#"id="fill""#))
            // Today's first-free reading: a share in time for each specialty of the clinic.
            let today = ProtocolTime.day(Date(), in: Self.moscow)
            let readings = try await browser.get("/staff/statistics?period=day&from=\(today)&clinic=101").text
            #expect(readings.contains(#"id="first-free""#) && readings.contains("Хирург (14 раб. дн.)") && readings.contains("Терапевт участковый (24 ч)"))
        }
    }

    @Test func aHeadSeesOnlyTheirClinicsASupervisorTheRegionAnOperatorNothing() async throws {
        let database = try await store()
        try await withFilledWeek(database) { browser, _, first, last in
            try await signIn(browser, "head")
            let own = try await browser.get("/staff/statistics?period=range&from=\(first)&to=\(last)")
            #expect(own.status == .ok && own.text.contains("все ваши поликлиники") && own.text.contains(#"id="clinics""#))
            #expect(!own.text.contains(#"<option value="102">"#))
            let other = try await browser.get("/staff/statistics?clinic=102")
            #expect(other.status == .forbidden && other.text.contains("Это не ваша поликлиника"))
            #expect(try await browser.get("/staff/statistics/export?table=channels&clinic=102").status == .forbidden)
            let chief = Browser(browser.client)
            try await signIn(chief, "chief")
            let region = try await chief.get("/staff/statistics?period=range&from=\(first)&to=\(last)")
            #expect(region.status == .ok && region.text.contains("все поликлиники региона") && region.text.contains(#"<option value="108">"#))
            #expect(region.text.contains("Поликлиника № 7"))
            let desk = Browser(browser.client)
            try await signIn(desk, "ivanova")
            #expect(try await desk.get("/staff/statistics").status == .forbidden)
        }
    }

    @Test func theProgrammesLimitsAreTwentyFourHoursForPrimaryCareAndFourteenWorkingDaysForTheRest() {
        #expect(FirstFreeReading.withinLimit(minutes: 1_440, federalCode: "76", day: "2026-12-07"))
        #expect(!FirstFreeReading.withinLimit(minutes: 1_441, federalCode: "68", day: "2026-12-07"))
        // Monday 7 December: the fourteenth working day after it is Friday 25 December, 18 days on.
        #expect(FirstFreeReading.withinLimit(minutes: 18 * 1_440, federalCode: "92", day: "2026-12-07"))
        #expect(!FirstFreeReading.withinLimit(minutes: 18 * 1_440 + 1, federalCode: "92", day: "2026-12-07"))
        #expect(!FirstFreeReading.withinLimit(minutes: -1, federalCode: "16", day: "2026-12-07"))
    }

    @Test func aMalformedReversedOrTooLongPeriodIsRefusedClearly() async throws {
        let database = try await store()
        try await withRegistry(database: database) { client in
            let browser = Browser(client)
            try await signIn(browser, "chief")
            for (query, message) in [("period=range&from=2026-13-01", "Укажите дни периода"), ("period=range&from=2026-12-05&to=2026-12-01", "Начало периода позже"),
                                     ("period=range&from=2024-01-01&to=2026-01-01", "Период длиннее года"), ("from=%3Cscript%3E", "Укажите дни периода")] {
                let page = try await browser.get("/staff/statistics?\(query)")
                #expect(page.status == .badRequest && page.text.contains(message) && !page.text.contains("<script>"), "\(query)")
            }
            #expect(try await browser.get("/staff/statistics/export?table=nothing").status == .notFound)
        }
    }
}

private extension Int {
    /// As the page writes a count: thousands apart by a narrow no-break space.
    var grouped: String {
        let digits = String(self)
        return digits.enumerated().map { index, digit in (index > 0 && (digits.count - index) % 3 == 0 ? "\u{202F}" : "") + String(digit) }.joined()
    }
}

/// Day arithmetic for these tests.
enum StatisticsFillDays {
    static func adding(_ days: Int, to day: String) -> String? { TypedDayForTests.adding(days, to: day) }
}
