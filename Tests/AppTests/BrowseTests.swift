import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import ReferenceMIS
import Testing
@testable import App
@testable import Web

/// Browsing through a live reference MIS: the registry asks it over signed HTTP, as in production.
@Suite("Browsing")
struct BrowseTests {
    /// Runs `body` against the registry with a reference MIS (small demo region) behind it.
    private func withRegion(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let database = try MISDatabase.inMemory()
        try DemoRegion(patients: 200).generate(into: database)
        let mis = ReferenceMIS(database: database)
        try mis.openSchedule(now: Date())
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "browse-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { misClient in
            let endpoint = MISEndpoint(id: "reference", url: "http://127.0.0.1:\(misClient.port!)/serverais", keyID: "registry", secret: "browse-secret")
            try await withRegistry(mis: [endpoint], body)
        }
    }

    /// The href of the first link whose text contains `text`.
    private func link(_ html: String, containing text: String) -> String? {
        let pattern = try! NSRegularExpression(pattern: "<a class=\"choice__link\" href=\"([^\"]+)\">([^<]*)</a>")
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let title = String(html[Range(match.range(at: 2), in: html)!])
            if title.contains(text) { return String(html[Range(match.range(at: 1), in: html)!]) }
        }
        return nil
    }

    @Test func walksFromDistrictsToADoctorsFreeTimes() async throws {
        try await withRegion { client in
            let districts = try await client.execute(uri: "/districts", method: .get) { $0.text }
            #expect(districts.contains("<h1>Выберите район</h1>"))
            let districtURL = try #require(link(districts, containing: "Центральный"))
            let district = try await client.execute(uri: districtURL, method: .get) { $0.text }
            #expect(district.contains("Поликлиника № 1"))
            #expect(district.contains("aria-label=\"Вы здесь\""))
            let clinicURL = try #require(link(district, containing: "Поликлиника № 1"))
            let clinic = try await client.execute(uri: clinicURL, method: .get) { $0.text }
            #expect(clinic.contains("Терапевт участковый"))
            #expect(clinic.contains("Запись к этому специалисту — по направлению") || clinic.contains("диспансерном учёте"))
            let specialtyURL = try #require(link(clinic, containing: "Хирург"))
            let specialty = try await client.execute(uri: specialtyURL, method: .get) { $0.text }
            let doctorURL = try #require(link(specialty, containing: " "))
            let doctor = try await client.execute(uri: doctorURL, method: .get) { response in
                #expect(response.status == .ok)
                return response.text
            }
            // The doctor's page lists the days with free times; each day has its own page with the times.
            #expect(doctor.contains("<h2>Выберите день</h2>"))
            let weekday = "(Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье), \\d{1,2} [а-я]+"
            let dayLink = try #require(doctor.range(of: "<a class=\"choice__link\" href=\"\(doctorURL)/days/[0-9-]+\">\(weekday)</a>", options: .regularExpression).map { String(doctor[$0]) })
            #expect(doctor.range(of: "Свободно \\d+ талон(а|ов)?: с \\d\\d:\\d\\d до \\d\\d:\\d\\d", options: .regularExpression) != nil)
            let dayURL = String(dayLink.split(separator: "\"")[3])
            let day = try await client.execute(uri: dayURL, method: .get) { response in
                #expect(response.status == .ok)
                return response.text
            }
            #expect(day.range(of: "<h1>\(weekday)</h1>", options: .regularExpression) != nil)
            #expect(day.contains("по часовому поясу поликлиники"))
            #expect(day.contains("<time datetime=\""))
            #expect(day.contains("aria-label=\"Вы здесь\"") && day.contains("href=\"\(doctorURL)\""))
            #expect(day.contains("rel=\"next\"") || day.contains("Все дни врача"))
            // The trail keeps the district by its name down to the day, and the lead names the specialty first.
            for page in [clinic, specialty, doctor, day] {
                #expect(page.contains("href=\"\(districtURL)\">Центральный"), "the district stays in the trail")
            }
            #expect(day.range(of: "<p class=\"lead\">Хирург: [^<]+, кабинет", options: .regularExpression) != nil)
            // The trail ends at the day itself, not at the doctor again.
            #expect(day.range(of: "<li aria-current=\"page\">\(weekday)</li>", options: .regularExpression) != nil)
        }
    }

    @Test func timesAreShownInTheClinicsOwnZone() async throws {
        try await withRegion { client in
            let page = try await client.execute(uri: "/clinics/108/specialties/113", method: .get) { $0.text }
            let doctorURL = try #require(link(page, containing: " "))
            let doctor = try await client.execute(uri: doctorURL, method: .get) { $0.text }
            // Yekaterinburg doctors start at 08:00 or 13:00 local time; shown in Moscow time those would
            // read 06:00 or 11:00, and no Yekaterinburg working day starts before 08:00.
            #expect(doctor.contains("с 08:00 до") || doctor.contains("с 13:00 до"))
            #expect(!doctor.contains("с 06:") && !doctor.contains("с 07:"))
            // A whole day (the last one listed, far enough ahead) starts at one of those times too.
            let days = doctor.ranges(of: try Regex("\(doctorURL)/days/[0-9-]+")).map { String(doctor[$0]) }
            let day = try await client.execute(uri: try #require(days.last), method: .get) { $0.text }
            #expect(day.contains(">08:00</time>") || day.contains(">13:00</time>"))
            #expect(!day.contains(">06:00</time>") && !day.contains(">07:45</time>"))
            // And the pages name that zone as Russians reckon it.
            #expect(day.contains("по часовому поясу поликлиники (МСК+2, Екатеринбург)"))
            #expect(page.contains("Время здесь — МСК+2, Екатеринбург"))
        }
    }

    @Test func unknownPlacesAreNotFound() async throws {
        try await withRegion { client in
            for uri in ["/districts/999", "/clinics/999", "/clinics/101/specialties/999", "/clinics/101/doctors/999"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(response.text.contains("Такой страницы нет"), "\(uri)")
                }
            }
        }
    }

    @Test func onlyTheScheduledDaysHavePages() async throws {
        try await withRegion { client in
            let specialty = try await client.execute(uri: "/clinics/101/specialties/113", method: .get) { $0.text }
            let doctorURL = try #require(link(specialty, containing: " "))
            let doctor = try await client.execute(uri: doctorURL, method: .get) { $0.text }
            let days = doctor.ranges(of: try Regex("\(doctorURL)/days/[0-9-]+")).map { String(doctor[$0]) }
            #expect(!days.isEmpty)
            // The first free day links to the next one and back to all the doctor's days.
            let first = try await client.execute(uri: days[0], method: .get) { $0.text }
            #expect(first.contains("href=\"\(doctorURL)\">Все дни врача</a>"))
            if days.count > 1 { #expect(first.contains("href=\"\(days[1])\" rel=\"next\"")) }
            // A day of the two weeks without free times (a day off) says so rather than vanishing.
            let keys = days.map { String($0.suffix(10)) }
            let noon = try #require(ProtocolTime.date(from: keys[0] + "T12:00:00Z"))
            let utc = try #require(TimeZone(identifier: "UTC"))
            let gap = (1..<14).map { ProtocolTime.day(noon.addingTimeInterval(Double($0) * 86_400), in: utc) }.first { $0 < keys.last! && !keys.contains($0) }
            if let gap {
                try await client.execute(uri: doctorURL + "/days/" + gap, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("В этот день свободного времени у врача нет"))
                    #expect(!response.text.contains("class=\"time\""))
                }
            }
            // Malformed days, days outside the next two weeks and unknown doctors are not found.
            for uri in [doctorURL + "/days/завтра", doctorURL + "/days/2026-02-30", doctorURL + "/days/2020-01-01", "/clinics/101/doctors/999/days/" + String(days[0].suffix(10))] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                }
            }
        }
    }

    @Test func aMISThatIsDownGivesAClearPage() async throws {
        try await withRegistry { client in
            try await client.execute(uri: "/districts", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.text.contains("<h1>Сервис временно недоступен</h1>"))
                #expect(response.text.contains("позвоните в регистратуру"))
            }
        }
    }
}
