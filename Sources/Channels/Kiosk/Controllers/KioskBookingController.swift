import Booking
import Foundation
import Hummingbird
import MISBridge
import Persistence
import RegistryCore
import Web

/// Booking at the kiosk, in big steps: clinic (the kiosk's own first; skipped when the patient has
/// a card in one clinic only) → specialty → doctor → day → time → check → one confirm button → the
/// receipt, printed. Also the earliest free time of a specialty. The same desk and rules as every
/// channel; bookings carry the kiosk channel and the kiosk's id.
struct KioskBookingController {
    let pages: PageRenderer
    let region: Region
    let desk: BookingDesk
    let reconciler: LedgerReconciler
    let database: any RegistryStore
    let csrf: CSRF
    let now: @Sendable () -> Date

    func addRoutes(to group: RouterGroup<KioskPatientContext>) {
        group.get(KioskRoute.clinics.pattern) { _, context in try await clinics(context) }
        group.get(KioskRoute.clinic(.parameter("clinic")).pattern) { _, context in try await specialties(context) }
        group.get(KioskRoute.specialty(clinic: .parameter("clinic"), specialty: .parameter("specialty")).pattern) { _, context in try await doctors(context) }
        group.get(KioskRoute.doctor(clinic: .parameter("clinic"), doctor: .parameter("doctor")).pattern) { request, context in try await doctor(request, context) }
        group.get(KioskRoute.check(clinic: "", doctor: "", slot: "").pattern) { request, context in try await check(request, context) }
        group.post(KioskRoute.book.pattern) { request, context in try await confirm(request, context) }
        group.get(KioskRoute.earliest().pattern) { request, context in try await earliest(request, context) }
    }

    /// The clinics where the patient has a card: the kiosk's own first, then the one they are attached to.
    private func clinics(for patient: IdentifiedPatient, at device: KioskRecord) async throws -> [(clinic: MISClinic, client: MISClient)] {
        let usable = try await misForPage { () throws(MISFailure) in try await region.clinics() }.filter { patient.cards[$0.clinic.id] != nil }
        return ClinicOrder.sorted(usable, clinic: \.clinic, preferring: [{ $0.id == device.clinicID }, { $0.id == patient.attachment?.clinicID }])
    }

    private func clinics(_ context: KioskPatientContext) async throws -> Response {
        let (patient, device) = (context.patient, context.device)
        let usable = try await clinics(for: patient, at: device).map(\.clinic)
        if usable.count == 1 { return .redirect(to: KioskRoute.clinic(usable[0].id).path, type: .normal) }
        let choices = usable.map { clinic in
            KioskChoice(title: clinic.shortName, url: KioskRoute.clinic(clinic.id).path,
                        details: clinic.id == device.clinicID ? "Эта поликлиника" : clinic.id == patient.attachment?.clinicID ? "Вы прикреплены, \(clinic.address)" : clinic.address)
        }
        let page = KioskChoicePage(title: "Где записаться", step: "Выберите поликлинику", choices: choices, back: (KioskRoute.menu.path, "Назад"),
                                   empty: "Вашей карты нет ни в одной поликлинике района. Обратитесь в регистратуру.")
        return try pages.kiosk("pages/kiosk/choices", page, context)
    }

    private func specialties(_ context: KioskPatientContext) async throws -> Response {
        let patient = context.patient
        let clinicID = try context.parameters.require("clinic")
        guard let (clinic, client) = try await misForPage({ () throws(MISFailure) in try await region.clinic(clinicID) }) else { throw HTTPError(.notFound) }
        let age = BookingRules.age(birthDate: patient.birthDate, on: BookingRules.day(now(), TimeZone(identifier: clinic.timeZone) ?? .current))
        let specialties = try await misForPage { () throws(MISFailure) in try await client.specialties(clinic: clinicID) }.filter { $0.admits(age: age) }
        let choices = specialties.map { specialty in
            KioskChoice(title: specialty.name, url: specialty.freeCount > 0 ? KioskRoute.specialty(clinic: clinicID, specialty: specialty.id).path : nil,
                        details: specialty.freeCount > 0 ? "Есть свободное время" : "Свободного времени нет")
        }
        let page = KioskChoicePage(title: clinic.shortName, step: "К какому врачу?", choices: choices, back: (KioskRoute.clinics.path, "Назад"))
        return try pages.kiosk("pages/kiosk/choices", page, context)
    }

    private func doctors(_ context: KioskPatientContext) async throws -> Response {
        let clinicID = try context.parameters.require("clinic")
        let specialtyID = try context.parameters.require("specialty")
        guard let (_, client) = try await misForPage({ () throws(MISFailure) in try await region.clinic(clinicID) }) else { throw HTTPError(.notFound) }
        guard let specialty = try await misForPage({ () throws(MISFailure) in try await client.specialties(clinic: clinicID) }).first(where: { $0.id == specialtyID })
        else { throw HTTPError(.notFound) }
        let doctors = try await misForPage { () throws(MISFailure) in try await client.doctors(clinic: clinicID, specialty: specialtyID) }
        let choices = doctors.map { doctor in
            KioskChoice(title: doctor.name, url: doctor.freeCount > 0 ? KioskRoute.doctor(clinic: clinicID, doctor: doctor.id).path : nil,
                        details: "Кабинет \(doctor.room)" + (doctor.district.map { ", участок \($0)" } ?? "") + (doctor.freeCount > 0 ? "" : ". Свободного времени нет"))
        }
        let page = KioskChoicePage(title: specialty.name, step: "Выберите врача", choices: choices, back: (KioskRoute.clinic(clinicID).path, "Назад"))
        return try pages.kiosk("pages/kiosk/choices", page, context)
    }

    private func doctor(_ request: Request, _ context: KioskPatientContext) async throws -> Response {
        let clinicID = try context.parameters.require("clinic")
        let doctorID = try context.parameters.require("doctor")
        let now = self.now()
        guard let schedule = try await misForPage({ () throws(MISFailure) in try await DoctorSchedule.find(clinic: clinicID, doctor: doctorID, in: region, rules: desk.rules, now: now) })
        else { throw HTTPError(.notFound) }
        let asked = request.uri.queryParameters["day"].map(String.init)
        let chosen = schedule.days.first { $0.key == asked } ?? schedule.days.first
        let days = schedule.days.map { day in
            KioskChoice(title: DayName.capitalized(day.midday, in: schedule.zone, now: now), url: KioskRoute.doctor(clinic: clinicID, doctor: doctorID, day: day.key).path,
                        details: RussianCount.freeTimes(day.times.count), selected: day.key == chosen?.key)
        }
        let page = KioskDoctorPage(
            doctor: schedule.doctor.name, specialty: schedule.specialty.name, clinic: schedule.clinic.shortName, room: schedule.doctor.room, timeZone: schedule.clinic.timeZone,
            days: days, dayTitle: chosen.map { DayName.capitalized($0.midday, in: schedule.zone, now: now) },
            times: (chosen?.times ?? []).map { TimeLink(slot: $0, url: KioskRoute.check(clinic: clinicID, doctor: doctorID, slot: $0.id).path) },
            back: (KioskRoute.specialty(clinic: clinicID, specialty: schedule.specialty.id).path, "Другой врач")
        )
        return try pages.kiosk("pages/kiosk/doctor", page, context)
    }

    private func earliest(_ request: Request, _ context: KioskPatientContext) async throws -> Response {
        let (patient, device) = (context.patient, context.device)
        let clinics = try await clinics(for: patient, at: device)
        let specialties = await EarliestTimes.specialties(in: clinics)
        let asked = request.uri.queryParameters["specialty"].map(String.init)
        let chosen = specialties.first { $0.federalCode == asked }
        let choices = specialties.map { KioskChoice(title: $0.name, url: KioskRoute.earliest(specialty: $0.federalCode).path, selected: $0.federalCode == asked) }
        var found: [KioskFoundTime] = [], incomplete = false
        if let chosen {
            let now = self.now()
            let ledger = try await database.bookings(patientKey: patient.key)
            let results = await EarliestTimes.search(federalCode: chosen.federalCode, in: clinics, rules: desk.rules, now: now, limit: 6, perDoctor: 2) { [desk] found in
                desk.refusal(for: found, patient: patient, ledger: ledger, now: now) == nil
            }
            found = results.found.map { KioskFoundTime(time: ChosenTimeFields($0), url: KioskRoute.check(clinic: $0.clinic.id, doctor: $0.doctor.id, slot: $0.slot.id).path) }
            incomplete = results.incomplete
        }
        let page = KioskEarliestPage(specialties: choices, specialty: chosen?.name, found: found, incomplete: incomplete)
        return try pages.kiosk("pages/kiosk/earliest", page, context)
    }

    private func check(_ request: Request, _ context: KioskPatientContext) async throws -> Response {
        let patient = context.patient
        let query = request.uri.queryParameters
        guard let clinic = query["clinic"].map(String.init), let doctor = query["doctor"].map(String.init), let slot = query["slot"].map(String.init) else { throw HTTPError(.badRequest) }
        let now = self.now()
        let ledger = try await reconciler.settlePending(of: patient.key, in: try database.bookings(patientKey: patient.key), now: now)
        // Back on the check page after booking: the patient already holds this time.
        if let held = BookingDesk.held(clinic: clinic, slot: slot, in: ledger), let appointment = held.appointmentID {
            return .redirect(to: KioskRoute.receipt(clinic: clinic, appointment: appointment).path, type: .normal)
        }
        do {
            let chosen = try await desk.resolve(clinic: clinic, doctor: doctor, slot: slot, now: now, fresh: true)
            let (refusal, asksReferral) = desk.check(chosen, patient: patient, ledger: ledger, now: now)
            if let refusal { throw BookingDesk.Outcome.refused(refusal, alternatives: [], zone: chosen.zone) }
            let page = KioskCheckPage(chosen: ChosenTimeFields(chosen), patientName: patient.displayName, requestID: CSRF.randomToken(), csrfToken: context.session.csrfToken,
                                      referral: asksReferral ? ("", nil) : nil,
                                      backURL: KioskRoute.doctor(clinic: clinic, doctor: doctor, day: ProtocolTime.day(chosen.slot.start, in: chosen.zone)).path)
            return try pages.kiosk("pages/kiosk/check", page, context)
        } catch let outcome as BookingDesk.Outcome {
            return try outcomePage(outcome, clinic: clinic, doctor: doctor, context)
        }
    }

    private func confirm(_ request: Request, _ context: KioskPatientContext) async throws -> Response {
        let form = try await csrf.form(request, context: context)
        let (patient, device) = (context.patient, context.device)
        guard let clinic = form["clinic"], let doctor = form["doctor"], let slot = form["slot"], let requestID = form["requestId"], (16...64).contains(requestID.count) else {
            throw HTTPError(.badRequest)
        }
        let now = self.now()
        let ledger = try await reconciler.settlePending(of: patient.key, in: try database.bookings(patientKey: patient.key), now: now)
        do {
            switch try await desk.confirm(clinic: clinic, doctor: doctor, slot: slot, requestID: requestID, patient: patient, ledger: ledger,
                                          referral: form["referral"], by: .kiosk(id: device.id), now: now) {
            case .booked(let entry):
                // Also a repeated confirmation (a second touch): the same receipt.
                return receipt(of: entry)
            case .referralNeeded(let chosen, let number, let refusal):
                let problem = refusal.map { RefusalTexts.explanation($0.code, for: .patient, rules: desk.rules) } ?? "Введите номер направления: он напечатан на бланке."
                let page = KioskCheckPage(chosen: ChosenTimeFields(chosen), patientName: patient.displayName, requestID: requestID, csrfToken: form[CSRF.fieldName] ?? "",
                                          referral: (number ?? "", problem), backURL: KioskRoute.doctor(clinic: clinic, doctor: doctor).path)
                return try pages.kiosk("pages/kiosk/check", page, context, status: .unprocessableContent)
            }
        } catch let outcome as BookingDesk.Outcome {
            return try outcomePage(outcome, clinic: clinic, doctor: doctor, context)
        }
    }

    /// The receipt of a booking just made, printed at once.
    private func receipt(of entry: LedgerEntry) -> Response {
        guard let appointment = entry.appointmentID else { return .redirect(to: KioskRoute.appointments().path) }
        return .redirect(to: KioskRoute.receipt(clinic: entry.clinicID, appointment: appointment, printing: true).path)
    }

    private func outcomePage(_ outcome: BookingDesk.Outcome, clinic: String, doctor: String, _ context: KioskPatientContext) throws -> Response {
        try outcome.response { refusal, alternatives, zone in
            let page = KioskRefusalPage(code: refusal.code.rawValue, explanation: RefusalTexts.explanation(refusal.code, for: .patient, rules: desk.rules),
                                        alternatives: alternatives.map { TimeLink(slot: $0, url: KioskRoute.check(clinic: clinic, doctor: doctor, slot: $0.id).path) },
                                        timeZone: zone?.identifier ?? "Europe/Moscow", backURL: KioskRoute.doctor(clinic: clinic, doctor: doctor).path)
            return try pages.kiosk("pages/kiosk/refusal", page, context, status: .conflict)
        }
    }
}
