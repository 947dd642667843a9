import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Templating
import Web

/// Booking for the caller being served: clinic → specialty (with free counts) → doctor (every free
/// day with its times on one page) → check (the same rules as the site, explained for the operator)
/// → confirm → the read-back. Bookings carry the call-centre channel and the operator's account.
struct OperatorBookingController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let database: any RegistryStore
    let audit: AuditTrail
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<StaffContext>) {
        group.get(OperatorRoute.bookClinics.pattern) { request, context in try await clinics(request, context) }
        group.get(OperatorRoute.bookClinic(.parameter("clinic")).pattern) { request, context in try await specialties(request, context) }
        group.get(OperatorRoute.bookSpecialty(clinic: .parameter("clinic"), specialty: .parameter("specialty")).pattern) { request, context in try await doctors(request, context) }
        group.get(OperatorRoute.bookDoctor(clinic: .parameter("clinic"), doctor: .parameter("doctor")).pattern) { _, context in try await doctor(context) }
        group.get(OperatorRoute.bookCheck(clinic: "", doctor: "", slot: "").pattern) { request, context in try await check(request, context) }
        group.get(OperatorRoute.earliest().pattern) { request, context in try await earliest(request, context) }
        group.post(OperatorRoute.book.pattern) { request, context in try await confirm(request, context) }
        group.get(OperatorRoute.ticket(.parameter("ticket")).pattern) { _, context in try await ticket(context) }
    }

    /// The caller being served, or the start page when there is none.
    private func caller(_ context: StaffContext) -> (StaffSessionRecord, CallerRecord)? {
        context.staff.caller.map { (context.staff, $0) }
    }

    private func render(_ template: String, _ page: some TemplateObject, _ context: StaffContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try pages.render(template, for: context.viewer, page: page, status: status, caching: .personal)
    }

    private func clinics(_ request: Request, _ context: StaffContext) async throws -> Response {
        guard let (_, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let all = try await misForPage { () throws(MISFailure) in try await region.clinics() }.map(\.clinic)
        // The caller's own clinics first (their attachment at the top), then the others.
        let ordered = ClinicOrder.sorted(all, preferring: [{ $0.id == caller.attachedClinicID }, { caller.cards[$0.id] != nil }])
        let items = ordered.map { clinic in
            DeskListItem(title: clinic.shortName, url: OperatorRoute.bookClinic(clinic.id).path, details: clinic.address,
                         note: clinic.id == caller.attachedClinicID ? "прикреплён" : caller.cards[clinic.id] != nil ? "есть карта" : "карты нет — записать нельзя")
        }
        return try render("pages/operator/book-list", DeskListPage(title: "Поликлиника", caller: caller, step: "Выберите поликлинику", items: items, filter: filter(request)), context)
    }

    private func specialties(_ request: Request, _ context: StaffContext) async throws -> Response {
        guard let (_, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let clinicID = try context.parameters.require("clinic")
        guard let (clinic, client) = try await misForPage({ () throws(MISFailure) in try await region.clinic(clinicID) }) else { throw HTTPError(.notFound) }
        let specialties = try await misForPage { () throws(MISFailure) in try await client.specialties(clinic: clinicID) }
        let items = specialties.map { specialty in
            DeskListItem(title: specialty.name, url: OperatorRoute.bookSpecialty(clinic: clinicID, specialty: specialty.id).path,
                         details: specialty.freeCount > 0 ? "свободно: \(specialty.freeCount)" + (specialty.nearestDate.map { ", ближайшее \(DayName.typed($0))" } ?? "") : "свободного времени нет",
                         note: nil, free: specialty.freeCount > 0)
        }
        return try render("pages/operator/book-list", DeskListPage(title: clinic.shortName, caller: caller, step: "Выберите специальность", items: items, filter: filter(request),
                                                                    back: (OperatorRoute.bookClinics.path, "Другая поликлиника")), context)
    }

    private func doctors(_ request: Request, _ context: StaffContext) async throws -> Response {
        guard let (_, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let clinicID = try context.parameters.require("clinic")
        let specialtyID = try context.parameters.require("specialty")
        guard let (clinic, client) = try await misForPage({ () throws(MISFailure) in try await region.clinic(clinicID) }) else { throw HTTPError(.notFound) }
        let specialties = try await misForPage { () throws(MISFailure) in try await client.specialties(clinic: clinicID) }
        guard let specialty = specialties.first(where: { $0.id == specialtyID }) else { throw HTTPError(.notFound) }
        let doctors = try await misForPage { () throws(MISFailure) in try await client.doctors(clinic: clinicID, specialty: specialtyID) }
        let items = doctors.map { doctor in
            DeskListItem(title: doctor.name, url: OperatorRoute.bookDoctor(clinic: clinicID, doctor: doctor.id).path,
                         details: "кабинет \(doctor.room)" + (doctor.district.map { ", участок \($0)" } ?? "") + (doctor.freeCount > 0 ? ", свободно: \(doctor.freeCount)" : ", свободного времени нет"),
                         note: doctor.district != nil && doctor.district == caller.attachedDistrict && clinicID == caller.attachedClinicID ? "участковый врач пациента" : nil, free: doctor.freeCount > 0)
        }
        return try render("pages/operator/book-list", DeskListPage(title: "\(specialty.name) — \(clinic.shortName)", caller: caller, step: "Выберите врача", items: items, filter: filter(request),
                                                                    back: (OperatorRoute.bookClinic(clinicID).path, "Другая специальность")), context)
    }

    private func doctor(_ context: StaffContext) async throws -> Response {
        guard let (_, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let clinicID = try context.parameters.require("clinic")
        let doctorID = try context.parameters.require("doctor")
        let now = self.now()
        guard let schedule = try await misForPage({ () throws(MISFailure) in try await DoctorSchedule.find(clinic: clinicID, doctor: doctorID, in: region, rules: desk.rules, now: now) })
        else { throw HTTPError(.notFound) }
        let page = DeskDoctorPage(caller: caller, schedule: schedule, now: now, timeURL: { OperatorRoute.bookCheck(clinic: clinicID, doctor: doctorID, slot: $0.id).path },
                                  back: (OperatorRoute.bookSpecialty(clinic: clinicID, specialty: schedule.specialty.id).path, "Другой врач"))
        return try render("pages/operator/book-doctor", page, context)
    }

    /// The earliest free times of a specialty across the clinics where the caller has a card, those
    /// the rules forbid this caller left out; each leads to its check page.
    private func earliest(_ request: Request, _ context: StaffContext) async throws -> Response {
        guard let (_, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let clinics = try await misForPage { () throws(MISFailure) in try await region.clinics() }.filter { caller.cards[$0.clinic.id] != nil }
        let specialties = await EarliestTimes.specialties(in: clinics)
        let chosen = request.uri.queryParameters["specialty"].map(String.init).flatMap { code in specialties.contains { $0.federalCode == code } ? code : nil }
        var found: [ChosenTimeFields] = [], incomplete = false
        if let chosen {
            let now = self.now()
            let patient = caller.identified
            let ledger = try await database.bookings(patientKey: caller.key)
            let results = await EarliestTimes.search(federalCode: chosen, in: clinics, rules: desk.rules, now: now) { [desk] found in
                desk.refusal(for: found, patient: patient, ledger: ledger, now: now) == nil
            }
            found = results.found.map { ChosenTimeFields($0) }
            incomplete = results.incomplete
        }
        let page = DeskEarliestPage(caller: caller, specialties: specialties, specialty: chosen, found: found, incomplete: incomplete)
        return try render("pages/operator/earliest", page, context)
    }

    private func check(_ request: Request, _ context: StaffContext) async throws -> Response {
        guard let (staff, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let query = request.uri.queryParameters
        guard let clinic = query["clinic"].map(String.init), let doctor = query["doctor"].map(String.init), let slot = query["slot"].map(String.init) else { throw HTTPError(.badRequest) }
        let now = self.now()
        let patient = caller.identified
        do {
            let chosen = try await desk.resolve(clinic: clinic, doctor: doctor, slot: slot, now: now, fresh: true)
            let ledger = try await database.bookings(patientKey: caller.key)
            // A specialty open by referral: the operator asks for the referral's number rather than refusing.
            let (refusal, asksReferral) = desk.check(chosen, patient: patient, ledger: ledger, now: now)
            let page = DeskCheckPage(caller: caller, chosen: ChosenTimeFields(chosen), refusal: refusal.map { RefusalTexts.explanation($0.code, for: .staff, rules: desk.rules) },
                                     refusalCode: refusal?.code.rawValue, requestID: CSRF.randomToken(), csrfToken: staff.csrfToken,
                                     referral: asksReferral && refusal == nil ? ("", nil) : nil)
            return try render("pages/operator/book-check", page, context, status: refusal == nil ? .ok : .conflict)
        } catch let outcome as BookingDesk.Outcome {
            return try outcomePage(outcome, caller: caller, clinic: clinic, doctor: doctor, context)
        }
    }

    private func confirm(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        guard let (staff, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        guard let clinic = form["clinic"], let doctor = form["doctor"], let slot = form["slot"], let requestID = form["requestId"], (16...64).contains(requestID.count) else {
            throw HTTPError(.badRequest)
        }
        let now = self.now()
        let ledger = try await database.bookings(patientKey: caller.key)
        do {
            switch try await desk.confirm(clinic: clinic, doctor: doctor, slot: slot, requestID: requestID, patient: caller.identified, ledger: ledger,
                                          referral: form["referral"], by: .operator(account: staff.account.id), now: now) {
            case .booked(let entry):
                // A second Enter lands on the same read-back (and is not audited again).
                if !ledger.contains(where: { $0.requestID == requestID && $0.status.isBooked }) {
                    try await audit.record(.booked, by: AuditTrail.actor(staff.account), patientKey: caller.key, detail: entry.requestID, address: context.remoteAddress, now: now)
                }
                return .redirect(to: OperatorRoute.ticket(entry.requestID).path)
            case .referralNeeded(let chosen, let number, let refusal):
                let error = refusal.map { RefusalTexts.explanation($0.code, for: .staff, rules: desk.rules) } ?? "Спросите номер направления: он напечатан на бланке."
                let page = DeskCheckPage(caller: caller, chosen: ChosenTimeFields(chosen), refusal: nil, refusalCode: nil, requestID: requestID, csrfToken: staff.csrfToken,
                                         referral: (number ?? "", error))
                return try render("pages/operator/book-check", page, context, status: .unprocessableContent)
            }
        } catch let outcome as BookingDesk.Outcome {
            return try outcomePage(outcome, caller: caller, clinic: clinic, doctor: doctor, context)
        }
    }

    private func ticket(_ context: StaffContext) async throws -> Response {
        guard let (_, caller) = caller(context) else { return .redirect(to: OperatorRoute.home.path) }
        let id = try context.parameters.decoded("ticket")
        // Only the caller being served: another patient's ticket is not found here.
        guard let entry = try await database.bookings(patientKey: caller.key).first(where: { $0.requestID == id && ($0.status.isBooked || $0.status == .displaced) }) else { throw HTTPError(.notFound) }
        return try render("pages/operator/ticket", DeskTicketPage(caller: caller, entry: entry, now: now()), context)
    }

    private func outcomePage(_ outcome: BookingDesk.Outcome, caller: CallerRecord, clinic: String, doctor: String, _ context: StaffContext) throws -> Response {
        try DeskRefusalPage.respond(to: outcome, caller: caller, rules: desk.rules, timeURL: { OperatorRoute.bookCheck(clinic: clinic, doctor: doctor, slot: $0.id).path },
                                    doctorURL: OperatorRoute.bookDoctor(clinic: clinic, doctor: doctor).path, zone: "Europe/Moscow", pages: pages, viewer: context.viewer)
    }

    /// The list filter as typed (the lists filter as one types with JavaScript; without it, on Enter).
    private func filter(_ request: Request) -> String {
        String((request.uri.queryParameters["q"].map(String.init) ?? "").prefix(60))
    }
}
