import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// The patient's upcoming appointments at the kiosk, whichever channel made them (as the clinics'
/// MISes hold them): each printed again as a receipt, or cancelled after a question.
struct KioskAppointmentsController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<KioskPatientContext>) {
        group.get(KioskRoute.appointments().pattern) { request, context in
            let patient = context.patient
            let found = await PatientAppointments.gather(cards: patient.clinicPatients, in: region)
            let page = KioskAppointmentsPage(appointments: found.upcoming(now: now()), unanswered: !found.unanswered.isEmpty,
                                             justCancelled: request.uri.queryParameters["cancelled"] == "1")
            return try pages.kiosk("pages/kiosk/appointments", page, context)
        }
        group.get(KioskRoute.receipt(clinic: .parameter("clinic"), appointment: .parameter("appointment")).pattern) { request, context in
            let patient = context.patient
            let appointment = try await upcoming(context)
            let page = KioskReceiptPage(appointment: KioskAppointment(found: appointment), name: patient.displayName,
                                        printing: request.uri.queryParameters["print"] == "1", csrfToken: context.session.csrfToken)
            return try pages.kiosk("pages/kiosk/receipt", page, context)
        }
        group.get(KioskRoute.cancel(clinic: .parameter("clinic"), appointment: .parameter("appointment")).pattern) { _, context in
            let appointment = try await upcoming(context)
            let page = KioskCancelPage(appointment: KioskAppointment(found: appointment),
                                       formURL: KioskRoute.cancel(clinic: appointment.clinic.id, appointment: appointment.appointment.id).path, csrfToken: context.session.csrfToken)
            return try pages.kiosk("pages/kiosk/cancel", page, context)
        }
        group.post(KioskRoute.cancel(clinic: .parameter("clinic"), appointment: .parameter("appointment")).pattern) { request, context in
            _ = try await csrf.form(request, context: context, limit: 4_096)
            let (patient, device) = (context.patient, context.device)
            let appointment = try await upcoming(context)
            do {
                try await desk.cancel(clinic: appointment.clinic.id, appointment: appointment.appointment.id, patient: patient.clinicPatients[appointment.clinic.id] ?? "",
                                      reason: nil, by: .kiosk(id: device.id), now: now())
            } catch BookingDesk.Outcome.notFound {
                throw HTTPError(.notFound)
            } catch BookingDesk.Outcome.unavailable {
                throw HTTPError(.serviceUnavailable)
            } catch {
                let page = KioskRefusalPage(code: "not_cancellable", explanation: "Эту запись отменить здесь нельзя: приём уже начался или поликлиника держит её. Обратитесь в регистратуру.",
                                            alternatives: [], timeZone: appointment.clinic.timeZone, backURL: KioskRoute.appointments().path)
                return try pages.kiosk("pages/kiosk/refusal", page, context, status: .conflict)
            }
            return .redirect(to: KioskRoute.appointments(cancelled: true).path)
        }
    }

    /// The patient's upcoming appointment the address names, as its clinic's MIS holds it now (404 otherwise).
    private func upcoming(_ context: KioskPatientContext) async throws -> PatientAppointments.Appointment {
        let patient = context.patient
        let clinic = try context.parameters.require("clinic")
        let id = try context.parameters.require("appointment")
        guard let found = try await misForPage({ () throws(MISFailure) in try await PatientAppointments.upcoming(id, clinic: clinic, cards: patient.clinicPatients, in: region, now: now()) })
        else { throw HTTPError(.notFound) }
        return found
    }
}
