import Foundation
import Hummingbird
import Web
import MISBridge
import RegistryCore

/// Finding a clinic by name or address, and a doctor by surname or specialty, across the region.
struct SearchController {
    let pages: PageRenderer
    let region: Region

    /// More results than this asks the patient to be more specific.
    static let maximumResults = 40

    func addRoutes(to router: RouterGroup<PatientRequestContext>) {
        router.get(RouterPath(SiteRoute.clinicSearch.path)) { request, context in try await clinics(query: Self.query(request), for: context.viewer) }
        router.get(RouterPath(SiteRoute.doctorSearch.path)) { request, context in try await doctors(query: Self.query(request), for: context.viewer) }
    }

    func clinics(query: String, for viewer: PageViewer) async throws -> Response {
        var page = SearchPage(kind: .clinics, query: query)
        if !query.isEmpty {
            let words = SearchText.words(query)
            let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }
            page.results = clinics.map(\.clinic)
                .filter { SearchText.containsAll(words, in: [$0.shortName, $0.fullName, $0.address]) }
                .map { ListItem(title: $0.shortName, url: SiteRoute.clinic($0.id).path, details: [$0.fullName, $0.address, "тел. " + $0.phone]) }
        }
        return try pages.render("pages/patient/search", for: viewer, page: page)
    }

    func doctors(query: String, for viewer: PageViewer) async throws -> Response {
        var page = SearchPage(kind: .doctors, query: query)
        if !query.isEmpty {
            let words = SearchText.words(query)
            let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }
            for (clinic, client) in clinics {
                // A clinic that does not answer is left out rather than failing the whole search.
                guard let specialties = try? await client.specialties(clinic: clinic.id) else {
                    page.someClinicsSilent = true
                    continue
                }
                for specialty in specialties {
                    guard let doctors = try? await client.doctors(clinic: clinic.id, specialty: specialty.id) else {
                        page.someClinicsSilent = true
                        continue
                    }
                    for doctor in doctors where SearchText.prefixesAll(words, of: [doctor.name, specialty.name]) {
                        page.results.append(ListItem(
                            title: doctor.name, url: SiteRoute.doctor(clinic: clinic.id, doctor: doctor.id).path,
                            details: [specialty.name, clinic.shortName + ", " + clinic.address, "кабинет \(doctor.room)"],
                            freeCount: doctor.freeCount, nearest: doctor.nearestDate.flatMap { BrowseController.midday($0, TimeZone(identifier: clinic.timeZone) ?? .current) },
                            timeZone: clinic.timeZone
                        ))
                    }
                }
            }
            // Those with free time first, then by name.
            page.results.sort { ($0.freeCount ?? 0 > 0 ? 0 : 1, $0.title) < ($1.freeCount ?? 0 > 0 ? 0 : 1, $1.title) }
        }
        return try pages.render("pages/patient/search", for: viewer, page: page)
    }

    private static func query(_ request: Request) -> String {
        String((request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
    }

}

/// Matching typed words against names and addresses: case, «ё» and punctuation do not matter.
enum SearchText {
    static func words(_ text: String) -> [String] {
        normalized(text).split(separator: " ").map(String.init)
    }

    /// Every word occurs somewhere in the fields (for names and addresses: «ленина» finds «ул. Ленина, 12»).
    static func containsAll(_ words: [String], in fields: [String]) -> Bool {
        let haystack = normalized(fields.joined(separator: " "))
        return !words.isEmpty && words.allSatisfy { haystack.contains($0) }
    }

    /// Every word starts some word of the fields (for people: «петр» finds Петрова but not Непетров).
    static func prefixesAll(_ words: [String], of fields: [String]) -> Bool {
        let candidates = Self.words(fields.joined(separator: " "))
        return !words.isEmpty && words.allSatisfy { word in candidates.contains { $0.hasPrefix(word) } }
    }

    static func normalized(_ text: String) -> String {
        String(text.lowercased().map { $0 == "ё" ? "е" : ($0.isLetter || $0.isNumber ? $0 : " ") })
    }
}
