import Booking
import Foundation
import Hummingbird
import Web
import MISBridge
import Persistence
import RegistryCore

/// Choosing a time → checking the answers → one confirm button → the ticket.
struct BookController {
    let pages: PageRenderer
    let desk: BookingDesk
    /// Settles the patient's attempts lost to an outage before the rules count them.
    let reconciler: LedgerReconciler
    let database: any RegistryStore
    let csrf: CSRF
    /// The mail relay speaks SMTPUTF8: e-mail addresses may hold Cyrillic before the `@`.
    let unicodeMailboxes: Bool
    /// The clock the booking rules read (tests set it).
    let now: @Sendable () -> Date

    func addRoutes(to site: RouterGroup<PatientRequestContext>) {
        let router = site.identified(csrf)
        router.get(SiteRoute.book.pattern) { request, context in try await check(request, context) }
        site.post(SiteRoute.book.pattern) { request, context in try await confirm(request, context) }
        router.get(SiteRoute.ticket(.parameter("ticket")).pattern) { request, context in try await ticket(try context.parameters.decoded("ticket"), context) }
        // A file, not a page to come back to: nobody's without the patient's session.
        site.get(SiteRoute.ticketCalendar(.parameter("ticket")).pattern) { _, context in
            guard let identified = context.principal,
                let entry = try await identified.ledgerAtStart(in: database).first(where: { $0.requestID == ((try? context.parameters.decoded("ticket")) ?? "") && $0.status.isBooked })
            else { throw HTTPError(.notFound) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: CalendarFile.contentDisposition(ticket: entry.ticket), .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: CalendarFile.ics(for: entry)))
            )
        }
    }

    private func check(_ request: Request, _ context: IdentifiedContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let clinic = query["clinic"].map(String.init), let doctor = query["doctor"].map(String.init), let slot = query["slot"].map(String.init) else {
            throw HTTPError(.badRequest)
        }
        let day = query["day"].map(String.init).flatMap { ProtocolTime.isDay($0) ? $0 : nil }
        let patient = context.patient
        // Back on the check page after booking: the patient already holds this time.
        let ledger = try await reconciler.settlePending(of: patient.key, in: try context.ledgerAtStart(in: database), now: now())
        if let held = BookingDesk.held(clinic: clinic, slot: slot, in: ledger) { return Response.redirect(to: SiteRoute.ticket(held.requestID).path) }
        let now = self.now()
        let chosen: ChosenSlot
        do {
            chosen = try await desk.resolve(clinic: clinic, doctor: doctor, slot: slot, day: day, now: now, fresh: true)
        } catch {
            return try outcomePage(error, clinic: clinic, doctor: doctor, for: context.viewer)
        }
        // A specialty open by referral asks for its number here rather than refusing.
        let (refusal, asksReferral) = desk.check(chosen, patient: patient, ledger: ledger, now: now)
        if let refusal {
            let conflict = refusal.code == .alreadyBookedThatDay ? BookingDesk.conflict(with: chosen, in: ledger) : nil
            let moveHere = conflict.flatMap { $0.clinicID == clinic ? SiteRoute.ticketMoveCheck($0.requestID, doctor: doctor, slot: slot).path : nil }
            let page = RefusalPage(refusal: refusal, rules: desk.rules, clinicID: clinic, doctorID: doctor, alternatives: [], zone: chosen.zone, conflict: conflict, moveHereURL: moveHere)
            return try pages.render("pages/patient/refusal", for: context.viewer, page: page, status: .conflict, caching: .personal)
        }
        let requestID = CSRF.randomToken()
        return try csrf.respond(to: request, context: context) { token in
            let page = CheckPage(chosen: ChosenTime(chosen), patientName: patient.displayName, requestID: requestID, csrfToken: token, referral: asksReferral ? ReferralField() : nil)
            return try pages.render("pages/patient/check", for: context.viewer, page: page, caching: .personal)
        }
    }

    private func confirm(_ request: Request, _ context: PatientRequestContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        guard let identified = context.principal else {
            // Signed out meanwhile: after identifying again the patient is back on the check page of the same time.
            return IdentifyController.askToIdentify(next: SiteRoute.check(clinic: form["clinic"] ?? "", doctor: form["doctor"] ?? "", slot: form["slot"] ?? "", day: form["day"]).path, context)
        }
        guard let clinic = form["clinic"], let doctor = form["doctor"], let slot = form["slot"], let requestID = form["requestId"], (16...64).contains(requestID.count) else {
            throw HTTPError(.badRequest)
        }
        let patient = identified.patient
        let bookings = try await reconciler.settlePending(of: patient.key, in: try identified.ledgerAtStart(in: database), now: now())
        // A repeated confirmation (double click, resend) lands on the same ticket.
        if let done = bookings.first(where: { $0.requestID == requestID && $0.status.isBooked }) {
            return Response.redirect(to: SiteRoute.ticket(done.requestID).path)
        }
        if let held = BookingDesk.held(clinic: clinic, slot: slot, in: bookings) { return Response.redirect(to: SiteRoute.ticket(held.requestID).path) }
        let now = self.now()
        let contact = ContactForm(phone: form["phone"], email: form["email"], consent: form["consent"] == "yes", unicodeMailboxes: unicodeMailboxes)
        do {
            if !contact.errors.isEmpty {
                // Nothing is booked: the check page again, with what was typed and what is wrong with it.
                let chosen = try await desk.resolve(clinic: clinic, doctor: doctor, slot: slot, day: form["day"], now: now)
                let referral = desk.check(chosen, patient: patient, ledger: bookings, now: now).asksReferral ? ReferralField(number: BookingDesk.referralNumber(form["referral"]) ?? "") : nil
                let page = CheckPage(chosen: ChosenTime(chosen), patientName: patient.displayName, requestID: requestID, csrfToken: form[CSRF.fieldName] ?? "",
                                     contact: contact, referral: referral)
                return try pages.render("pages/patient/check", for: context.viewer, page: page, status: .unprocessableContent, caching: .personal)
            }
            // Saved before booking: the booking's ticket is written to the outbox for the contacts held when it is confirmed.
            if !contact.isEmpty {
                try await database.saveContact(patientKey: patient.key, phone: contact.keptPhone, email: contact.keptEmail, consentAt: now)
                // The ticket waits in the outbox until the new contact is confirmed (a code or a link goes to it now).
                try await ContactConfirmations(database: database).start(patientKey: patient.key, now: now)
            }
            switch try await desk.confirm(clinic: clinic, doctor: doctor, slot: slot, day: form["day"], requestID: requestID, patient: patient, ledger: bookings,
                                          referral: form["referral"], by: .patient, now: now) {
            case .booked(let entry):
                return Response.redirect(to: SiteRoute.ticket(entry.requestID).path)
            case .referralNeeded(let chosen, let number, let refusal):
                // A specialty open by referral: the number typed was missing, or the MIS refused it.
                let field = ReferralField(number: number ?? "",
                                          refusal: refusal.map { RefusalTexts.explanation($0.code, for: .patient, rules: desk.rules) } ?? "Укажите номер направления: он напечатан на бланке.",
                                          code: refusal?.code.rawValue)
                let page = CheckPage(chosen: ChosenTime(chosen), patientName: patient.displayName, requestID: requestID, csrfToken: form[CSRF.fieldName] ?? "",
                                     contact: contact, referral: field)
                return try pages.render("pages/patient/check", for: context.viewer, page: page, status: .unprocessableContent, caching: .personal)
            }
        } catch BookingDesk.Outcome.unavailable {
            // Resume where it was: the same confirmation, ready to be sent again once the clinic answers.
            let attempt = try await database.bookings(patientKey: patient.key).first { $0.requestID == requestID }
            let page = RetryPage(clinicID: clinic, doctorID: doctor, slotID: slot, requestID: requestID, contact: contact,
                                 referral: BookingDesk.referralNumber(form["referral"]), attempt: attempt, csrfToken: form[CSRF.fieldName] ?? "")
            var response = try pages.render("pages/patient/retry", for: context.viewer, page: page, status: .serviceUnavailable, caching: .personal)
            response.headers[.retryAfter] = "30"
            return response
        } catch let outcome as BookingDesk.Outcome {
            return try outcomePage(outcome, clinic: clinic, doctor: doctor, for: context.viewer)
        }
    }

    private func ticket(_ id: String, _ context: IdentifiedContext) async throws -> Response {
        // Ticket addresses are unguessable and shown only to the patient who booked them.
        let patient = context.patient
        let ledger = try await context.ledgerAtStart(in: database)
        guard let entry = ledger.first(where: { $0.requestID == id && ($0.status.isBooked || $0.status == .displaced || $0.status == .cancelled || $0.status == .moved) })
        else { throw HTTPError(.notFound) }
        let previous = entry.replaces.flatMap { replaced in ledger.first { $0.requestID == replaced } }
        let page = TicketPage(entry: entry, patient: patient.displayName, previous: previous, changeable: BookingDesk.isMovable(entry, now: now()))
        return try pages.render("pages/patient/ticket", for: context.viewer, page: page, caching: .personal)
    }

    private func outcomePage(_ outcome: BookingDesk.Outcome, clinic: String, doctor: String, for viewer: PageViewer) throws -> Response {
        try outcome.response { refusal, alternatives, zone in
            try pages.render("pages/patient/refusal", for: viewer, page: RefusalPage(refusal: refusal, rules: desk.rules, clinicID: clinic, doctorID: doctor, alternatives: alternatives, zone: zone), status: .conflict, caching: .personal)
        }
    }
}

extension String {
    /// Percent-encoded for a query parameter.
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
