import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The waiting list: joining it when nothing fits (a specialty or a doctor, a range of days,
/// optionally a part of the day, with consent to be contacted), the patient's entries and leaving
/// one, and an offered time — shown and asked first, booked through the desk like any booking.
struct WaitlistController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let database: any RegistryStore
    let csrf: CSRF
    /// The mail relay speaks SMTPUTF8: e-mail addresses may hold Cyrillic before the `@`.
    let unicodeMailboxes: Bool
    let now: @Sendable () -> Date

    func addRoutes(to site: RouterGroup<PatientRequestContext>) {
        let router = site.identified(csrf)
        router.get(SiteRoute.waitlistNew(clinic: "", specialty: "").pattern) { request, context in try await newEntry(request, context) }
        site.post(SiteRoute.waitlist.pattern) { request, context in try await join(request, context) }
        router.get(SiteRoute.cabinetWaitlist().pattern) { request, context in
            let page = WaitlistPage(entries: try await database.waitlist(patientKey: context.patient.key), joined: request.uri.queryParameters["joined"] == "1", csrfToken: "")
            return try render("pages/patient/waitlist", page, request, context)
        }
        site.identified(csrf, formPage: SiteRoute.cabinetWaitlist().path).post(SiteRoute.waitlistLeave(.parameter("entry")).pattern) { request, context in
            _ = try await csrf.form(request, context: context, limit: 4_096)
            guard try await database.leaveWaitlist(id: try context.parameters.require("entry"), patientKey: context.patient.key, now: now()) else { throw HTTPError(.notFound) }
            return Response.redirect(to: SiteRoute.cabinetWaitlist().path)
        }
        router.get(SiteRoute.offer(.parameter("offer")).pattern) { request, context in try await showOffer(request, context) }
        router.post(SiteRoute.offer(.parameter("offer")).pattern) { request, context in try await bookOffer(request, context) }
    }

    private func render(_ template: String, _ page: some TokenCarryingPage, _ request: Request, _ context: some ChannelContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try csrf.respond(to: request, context: context) { token in
            try pages.render(template, for: context.viewer, page: page.with(csrfToken: token), status: status, caching: .personal)
        }
    }

    /// The clinic's specialty (and doctor) the entry is for; 404 for ones the clinic does not have.
    private func wanted(clinic clinicID: String, specialty specialtyID: String, doctor doctorID: String?) async throws -> (MISClinic, MISSpecialty, MISDoctor?) {
        guard let (clinic, client) = try await misForPage({ () throws(MISFailure) in try await region.clinic(clinicID) }),
            let specialty = try await misForPage({ () throws(MISFailure) in try await client.specialties(clinic: clinicID) }).first(where: { $0.id == specialtyID })
        else { throw HTTPError(.notFound) }
        guard let doctorID else { return (clinic, specialty, nil) }
        guard let doctor = try await misForPage({ () throws(MISFailure) in try await client.doctors(clinic: clinicID, specialty: specialtyID) }).first(where: { $0.id == doctorID })
        else { throw HTTPError(.notFound) }
        return (clinic, specialty, doctor)
    }

    private func newEntry(_ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let clinic = query["clinic"].map(String.init), let specialty = query["specialty"].map(String.init) else { throw HTTPError(.badRequest) }
        let doctor = query["doctor"].map(String.init)
        let patient = context.patient
        let (found, wantedSpecialty, wantedDoctor) = try await wanted(clinic: clinic, specialty: specialty, doctor: doctor)
        let zone = TimeZone(identifier: found.timeZone) ?? .current
        let form = WaitlistForm(clinic: found, specialty: wantedSpecialty, doctor: wantedDoctor, from: BookingRules.day(now(), zone), to: desk.rules.lastDay(now: now(), zone: zone),
                                needsContact: try await database.contact(patientKey: patient.key) == nil)
        return try render("pages/patient/waitlist-new", form, request, context)
    }

    private func join(_ request: Request, _ context: PatientRequestContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        guard let clinic = form["clinic"], let specialty = form["specialty"] else { throw HTTPError(.badRequest) }
        let doctor = form["doctor"].flatMap { $0.isEmpty ? nil : $0 }
        // Signed out meanwhile: after identifying again the patient is back on the same request's form.
        guard let patient = context.principal?.patient else {
            return IdentifyController.askToIdentify(next: SiteRoute.waitlistNew(clinic: clinic, specialty: specialty, doctor: doctor).path, context)
        }
        let (found, wantedSpecialty, wantedDoctor) = try await wanted(clinic: clinic, specialty: specialty, doctor: doctor)
        let now = self.now()
        let zone = TimeZone(identifier: found.timeZone) ?? .current
        let (from, to) = (form["from"] ?? "", form["to"] ?? "")
        let partOfDay = WaitlistEntry.PartOfDay(rawValue: form["part"] ?? "")
        let needsContact = try await database.contact(patientKey: patient.key) == nil
        let today = BookingRules.day(now, zone)
        let latest = BookingRules.day(now.addingTimeInterval(60 * 86_400), zone)
        var errors: [FormError] = []
        if !ProtocolTime.isDay(from) || from < today { errors.append(FormError(field: "from", message: "Укажите первый подходящий день — сегодня или позже.")) }
        if !ProtocolTime.isDay(to) || to < from || to > latest {
            errors.append(FormError(field: "to", message: "Укажите последний подходящий день: не раньше первого и не дальше чем через 60 дней."))
        }
        let contact = needsContact ? ContactForm(phone: form["phone"], email: form["email"], consent: form["consent"] == "yes", unicodeMailboxes: unicodeMailboxes) : .empty
        if needsContact {
            if contact.isEmpty { errors.append(FormError(field: "phone", message: "Оставьте телефон или почту: на них придёт предложение времени.")) }
            errors += contact.errors
        }
        func page(_ errors: [FormError]) -> WaitlistForm {
            WaitlistForm(clinic: found, specialty: wantedSpecialty, doctor: wantedDoctor, from: from, to: to, partOfDay: partOfDay, needsContact: needsContact, contact: contact, errors: errors)
        }
        guard errors.isEmpty else { return try render("pages/patient/waitlist-new", page(errors), request, context, status: .unprocessableContent) }
        if needsContact {
            try await database.saveContact(patientKey: patient.key, phone: contact.keptPhone, email: contact.keptEmail, consentAt: now)
            try await ContactConfirmations(database: database).start(patientKey: patient.key, now: now)
        }
        do {
            try await database.joinWaitlist(WaitlistEntry(id: SecureToken.hex(), patientKey: patient.key, clinicID: found.id, specialtyID: wantedSpecialty.id, specialtyName: wantedSpecialty.name,
                                                          doctorID: wantedDoctor?.id, doctorName: wantedDoctor?.name, fromDay: from, toDay: to, partOfDay: partOfDay, createdAt: now),
                                            limit: WaitlistMatcher.entriesPerPatient)
        } catch let refusal as WaitlistRefusal {
            let error = refusal == .duplicate
                ? FormError(field: "from", message: "Вы уже ждёте время у этого врача на некоторые из этих дней: заявка есть в личном кабинете. Чтобы изменить дни, отмените её и подайте новую.")
                : FormError(field: "from", message: "У вас уже \(WaitlistMatcher.entriesPerPatient) заявок в листе ожидания — это предел. Отмените ненужную в личном кабинете, и можно будет подать новую.")
            return try render("pages/patient/waitlist-new", page([error]), request, context, status: .conflict)
        }
        return Response.redirect(to: SiteRoute.cabinetWaitlist(joined: true).path)
    }

    /// The patient's own offer (anyone else's is not found).
    private func ownOffer(_ context: IdentifiedContext, _ patient: IdentifiedPatient) async throws -> WaitlistOffer {
        guard let offer = try await database.offer(id: try context.parameters.require("offer")), offer.patientKey == patient.key else { throw HTTPError(.notFound) }
        return offer
    }

    private func showOffer(_ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let offer = try await ownOffer(context, context.patient)
        return try render("pages/patient/offer", OfferPage(offer: offer, open: offer.status == .open && offer.expiresAt > now(), requestID: CSRF.randomToken(), csrfToken: ""), request, context)
    }

    private func bookOffer(_ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let form = try await csrf.form(request, context: context, limit: 4_096)
        let patient = context.patient
        guard let requestID = form["requestId"], (16...64).contains(requestID.count) else { throw HTTPError(.badRequest) }
        let offer = try await ownOffer(context, patient)
        let now = self.now()
        let ledger = try await database.bookings(patientKey: patient.key)
        let acceptance: BookingDesk.OfferAcceptance
        do {
            acceptance = try await desk.accept(offer, requestID: requestID, patient: patient, ledger: ledger, by: .patient, now: now)
        } catch {
            return try error.response { refusal, alternatives, zone in
                try pages.render("pages/patient/refusal", for: context.viewer, page: RefusalPage(refusal: refusal, rules: desk.rules, clinicID: offer.clinicID, doctorID: offer.doctorID,
                                                                                             alternatives: alternatives, zone: zone), status: .conflict, caching: .personal)
            }
        }
        switch acceptance {
        case .booked(let entry):
            return Response.redirect(to: SiteRoute.ticket(entry.requestID).path)
        case .closed(let closed):
            return try render("pages/patient/offer", OfferPage(offer: closed, open: false, requestID: requestID, csrfToken: ""), request, context, status: .conflict)
        case .referralNeeded:
            // A referral is asked on the time's own check page.
            return Response.redirect(to: SiteRoute.check(clinic: offer.clinicID, doctor: offer.doctorID, slot: offer.slotID).path)
        }
    }
}
