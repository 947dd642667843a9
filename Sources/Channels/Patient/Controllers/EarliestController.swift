import Foundation
import Hummingbird
import Web
import MISBridge
import Persistence
import RegistryCore

/// The earliest free time of a specialty: in the clinics of a signed-in patient (attachment and
/// cards), or of a district an anonymous visitor chooses; one click from a result to its check page.
struct EarliestController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let database: any RegistryStore
    /// The clock the booking rules read (tests set it).
    let now: @Sendable () -> Date

    func addRoutes(to router: RouterGroup<PatientRequestContext>) {
        router.get(SiteRoute.earliest().pattern) { request, context in try await earliest(request, context) }
    }

    private func earliest(_ request: Request, _ context: PatientRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let specialty = query["specialty"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let patient = context.session?.patient
        let clinics: [(clinic: MISClinic, client: MISClient)]
        var districts: [MISDistrict] = [], district: String?
        if let patient {
            // Where this patient may go: every clinic with their card (their attachment among them).
            clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }.filter { patient.cards[$0.clinic.id] != nil }
        } else {
            districts = try await misForPage { () throws(MISFailure) in try await region.districts() }
            district = query["district"].map(String.init).flatMap { id in districts.contains { $0.id == id } ? id : nil }
            guard let district else {
                let page = EarliestPage(specialty: specialty, signedIn: false, districts: districts, specialties: [], now: now())
                return try pages.render("pages/patient/earliest", for: context.viewer, page: page)
            }
            clinics = try await misForPage { () throws(MISFailure) in try await region.clinics(district: district) }
        }
        let specialties = await EarliestTimes.specialties(in: clinics)
        var found: [ChosenTime]?, incomplete = false
        if let specialty, specialties.contains(where: { $0.federalCode == specialty }) {
            let now = self.now()
            var admits: @Sendable (ChosenSlot) -> Bool = { _ in true }
            if let patient {
                let ledger = try await database.bookings(patientKey: patient.key)
                admits = { [desk] chosen in desk.refusal(for: chosen, patient: patient, ledger: ledger, now: now) == nil }
            }
            let results = await EarliestTimes.search(federalCode: specialty, in: clinics, rules: desk.rules, now: now, admits: admits)
            found = results.found.map(ChosenTime.init)
            incomplete = results.incomplete
        }
        let page = EarliestPage(specialty: specialty, signedIn: patient != nil, districts: districts, district: district, specialties: specialties,
                                found: found, incomplete: incomplete, attachment: patient?.attachment, now: now())
        return try pages.render("pages/patient/earliest", for: context.viewer, page: page, caching: patient == nil ? .revalidate : .personal)
    }
}
