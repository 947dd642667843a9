import Foundation
import Hummingbird
import HummingbirdTesting
import MISBridge
import ReferenceMIS
import Testing
@testable import App

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
            #expect(doctor.contains("Время указано по часовому поясу поликлиники"))
            #expect(doctor.contains("<time datetime=\""))
            #expect(doctor.range(of: "<h2 id=\"day-0\">(Понедельник|Вторник|Среда|Четверг|Пятница|Суббота|Воскресенье), \\d{1,2} [а-я]+</h2>", options: .regularExpression) != nil)
        }
    }

    @Test func timesAreShownInTheClinicsOwnZone() async throws {
        try await withRegion { client in
            let page = try await client.execute(uri: "/clinics/108/specialties/113", method: .get) { $0.text }
            let doctorURL = try #require(link(page, containing: " "))
            let doctor = try await client.execute(uri: doctorURL, method: .get) { $0.text }
            // Yekaterinburg doctors start at 08:00 or 13:00 local time; shown in Moscow time those would
            // read 06:00 or 11:00, and no Yekaterinburg working day starts before 08:00.
            #expect(doctor.contains(">08:00</time>") || doctor.contains(">13:00</time>"))
            #expect(!doctor.contains(">06:00</time>") && !doctor.contains(">07:45</time>"))
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
