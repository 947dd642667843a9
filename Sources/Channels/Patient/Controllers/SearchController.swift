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
        router.get(SiteRoute.clinicSearch.pattern) { request, context in try await clinics(query: Self.query(request), for: context.viewer) }
        router.get(SiteRoute.doctorSearch.pattern) { request, context in try await doctors(query: Self.query(request), for: context.viewer) }
    }

    func clinics(query: String, for viewer: PageViewer) async throws -> Response {
        var results: [ListItem] = []
        if !query.isEmpty {
            let words = SearchText.words(query)
            let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }
            results = clinics.map(\.clinic)
                .filter { SearchText.containsAll(words, in: [$0.shortName, $0.fullName, $0.address]) }
                .map { ListItem(title: $0.shortName, url: SiteRoute.clinic($0.id).path, details: [$0.fullName, $0.address, "тел. " + $0.phone]) }
        }
        return try pages.render("pages/patient/search", for: viewer, page: SearchPage(kind: .clinics, query: query, results: results))
    }

    func doctors(query: String, for viewer: PageViewer) async throws -> Response {
        var results: [ListItem] = [], someClinicsSilent = false
        if !query.isEmpty {
            let words = SearchText.words(query)
            let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }
            // Every clinic, and every specialty of each, asked at once: one after another, a region's
            // first search made some 120 calls in a row and could outlast the page's MIS deadline.
            let found = await withTaskGroup(of: ClinicDoctors.self) { group in
                for (clinic, client) in clinics {
                    group.addTask { await Self.doctors(of: clinic, client: client, matching: words) }
                }
                return await group.reduce(into: [ClinicDoctors]()) { $0.append($1) }
            }
            for clinicDoctors in found {
                if clinicDoctors.someSilent { someClinicsSilent = true }
                let clinic = clinicDoctors.clinic
                for (doctor, specialty) in clinicDoctors.matches {
                    results.append(ListItem(
                        title: doctor.name, url: SiteRoute.doctor(clinic: clinic.id, doctor: doctor.id).path,
                        details: [specialty.name, clinic.shortName + ", " + clinic.address, "кабинет \(doctor.room)"],
                        freeCount: doctor.freeCount, nearest: doctor.nearestDate.flatMap { BrowseController.midday($0, TimeZone(identifier: clinic.timeZone) ?? .current) },
                        timeZone: clinic.timeZone
                    ))
                }
            }
            // Those with free time first, then by name.
            results.sort { ($0.freeCount ?? 0 > 0 ? 0 : 1, $0.title, $0.url) < ($1.freeCount ?? 0 > 0 ? 0 : 1, $1.title, $1.url) }
        }
        return try pages.render("pages/patient/search", for: viewer, page: SearchPage(kind: .doctors, query: query, results: results, someClinicsSilent: someClinicsSilent))
    }

    /// One clinic's doctors whose name or specialty the words begin, and whether any list did not come.
    private struct ClinicDoctors: Sendable {
        let clinic: MISClinic
        var matches: [(MISDoctor, MISSpecialty)] = []
        var someSilent = false
    }

    /// A clinic that does not answer is left out (`someSilent`) rather than failing the whole search.
    private static func doctors(of clinic: MISClinic, client: MISClient, matching words: [String]) async -> ClinicDoctors {
        var result = ClinicDoctors(clinic: clinic)
        guard let specialties = try? await client.specialties(clinic: clinic.id) else {
            result.someSilent = true
            return result
        }
        let lists = await withTaskGroup(of: (MISSpecialty, [MISDoctor]?).self) { group in
            for specialty in specialties {
                group.addTask { (specialty, try? await client.doctors(clinic: clinic.id, specialty: specialty.id)) }
            }
            return await group.reduce(into: [(MISSpecialty, [MISDoctor]?)]()) { $0.append($1) }
        }
        for (specialty, doctors) in lists {
            guard let doctors else {
                result.someSilent = true
                continue
            }
            result.matches += doctors.filter { SearchText.prefixesAll(words, of: [$0.name, specialty.name]) }.map { ($0, specialty) }
        }
        return result
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
