import Booking
import Crypto
import Foundation
import MISBridge
import Persistence
import RegistryCore
import Web

/// The operations the federal portal's door answers: the region's reference data and published
/// free times (`FederalSchedule`), reservations for the person the portal knows (through the one
/// booking desk of every channel), their cancellation, the portal's own bookings, and the feed of
/// what the clinics did to them. The clinic staff's operations are not offered here.
struct FederalOperations: Sendable {
    let core: RegistryCoreServices
    let schedule: FederalSchedule
    let now: @Sendable () -> Date

    init(core: RegistryCoreServices, now: @escaping @Sendable () -> Date) {
        self.core = core
        schedule = FederalSchedule(region: core.region, rules: core.rules)
        self.now = now
    }

    func perform(_ operation: MISOperation, _ parameters: MISRequestParameters) async throws -> String {
        let now = self.now()
        switch operation {
        case .getVersion:
            return MISResponse.success(operation) { writer in
                writer.empty("version", ["protocol": String(MISResponse.protocolVersion), "implementation": "Registratura federal door", "time": ProtocolTime.string(now, in: TimeZone(identifier: "UTC")!)])
            }
        case .getDistrictList:
            let districts = try await core.region.districts()
            return MISResponse.success(operation) { writer in
                writer.start("districts")
                for district in districts { district.write(into: &writer) }
            }
        case .getLPUList:
            // Approvals are the clinics' own business: every portal booking is a reservation anyway.
            let clinics = try await core.region.clinics(district: MISRequests.Clinics(parameters).district).map(\.clinic)
                .map { MISClinic(id: $0.id, districtID: $0.districtID, fullName: $0.fullName, shortName: $0.shortName, address: $0.address, phone: $0.phone, oid: $0.oid, timeZone: $0.timeZone) }
            return MISResponse.success(operation) { writer in
                writer.start("clinics")
                for clinic in clinics { clinic.write(into: &writer) }
            }
        case .getSpecialityList:
            let (clinic, client) = try await schedule.clinic(MISRequests.Specialties(parameters).clinic)
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            var published: [MISSpecialty] = []
            for specialty in try await schedule.specialties(clinic, client) {
                let doctors = try await schedule.doctors(clinic, client, specialty: specialty.id, now: now).map { FederalSchedule.published($0, zone: zone) }
                published.append(MISSpecialty(id: specialty.id, name: specialty.name, federalCode: specialty.federalCode, freeCount: doctors.reduce(0) { $0 + $1.freeCount },
                                              nearestDate: doctors.compactMap(\.nearestDate).min(), lastDate: doctors.compactMap(\.lastDate).max(), selfBooking: .open,
                                              minimumAge: specialty.minimumAge, maximumAge: specialty.maximumAge, attachedOnly: specialty.attachedOnly))
            }
            return MISResponse.success(operation) { writer in
                writer.start("specialties")
                for specialty in published { specialty.write(into: &writer) }
            }
        case .getDoctorList:
            let request = try MISRequests.Doctors(parameters)
            let (clinic, client) = try await schedule.clinic(request.clinic)
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            let doctors = try await schedule.doctors(clinic, client, specialty: request.specialty, now: now).map { FederalSchedule.published($0, zone: zone) }
            return MISResponse.success(operation) { writer in
                writer.start("doctors")
                for doctor in doctors { doctor.write(into: &writer) }
            }
        case .getAvailableDates, .getAvailableAppointments:
            let range = try MISRequests.AvailableDates(parameters).range
            try checkRange(range)
            let (clinic, client) = try await schedule.clinic(range.clinic)
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            let slots = try await schedule.doctor(clinic, client, id: range.doctor, now: now).slots.filter { (range.from...range.to).contains(ProtocolTime.day($0.start, in: zone)) }
            if operation == .getAvailableAppointments {
                return MISResponse.success(operation) { writer in
                    writer.start("slots")
                    for slot in slots { slot.write(into: &writer, zone: zone) }
                }
            }
            let days = Dictionary(grouping: slots) { ProtocolTime.day($0.start, in: zone) }.map { MISAvailableDate(day: $0.key, freeCount: $0.value.count) }.sorted { $0.day < $1.day }
            return MISResponse.success(operation) { writer in
                writer.start("dates")
                for day in days { day.write(into: &writer) }
            }
        case .setAppointment:
            let entry = try await reserve(try MISRequests.SetAppointment(parameters), now: now)
            return MISResponse.success(operation) { writer in Self.appointment(entry).write(into: &writer, zone: TimeZone(identifier: entry.timeZone) ?? .current) }
        case .createClaimForRefusal:
            let entry = try await cancel(try MISRequests.CreateClaimForRefusal(parameters), now: now)
            return MISResponse.success(operation) { writer in Self.appointment(entry).write(into: &writer, zone: TimeZone(identifier: entry.timeZone) ?? .current) }
        case .getPatientHistory:
            let request = try MISRequests.PatientHistory(parameters)
            let (clinic, _) = try await schedule.clinic(request.clinic)
            let entries = try await core.database.federalBookings(clinicID: clinic.id, patientKey: request.patient)
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            return MISResponse.success(operation) { writer in
                writer.start("appointments")
                for entry in entries { Self.appointment(entry).write(into: &writer, zone: zone) }
            }
        case .getChanges:
            let request = try MISRequests.Changes(parameters)
            guard let after = Int(request.cursor), after >= 0 else { throw MISFailure(.badRequest, message: "Курсор должен быть числом") }
            let (clinic, _) = try await schedule.clinic(request.clinic)
            let zone = TimeZone(identifier: clinic.timeZone) ?? .current
            let changes = try await core.database.federalChanges(clinicID: clinic.id, after: after, limit: 1_000)
            return MISResponse.success(operation) { writer in
                writer.start("changes", ["cursor": String(changes.last?.sequence ?? after)])
                for change in changes { Self.change(change).write(into: &writer, zone: zone) }
            }
        case .checkPatient, .searchPatients, .checkReferral, .getSchedule, .getReservationList, .confirmReservation, .refuseReservation, .moveAppointment, .createPatient:
            throw MISFailure(.badRequest, message: "Операция не предоставляется порталу")
        }
    }

    /// A reservation for the person the portal sends: their data checked, the time one the door
    /// publishes, the rules of every channel, then the clinic's MIS. Idempotent on the portal's request id.
    private func reserve(_ request: MISRequests.SetAppointment, now: Date) async throws -> LedgerEntry {
        guard let person = request.booking.person, request.booking.patientID == nil else {
            throw MISFailure(.badRequest, message: "Через портал записывают по данным пациента (фамилия, имя, дата рождения, пол, полис), без номера карты")
        }
        let (clinic, client) = try await schedule.clinic(request.clinic)
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        if let problem = PersonCheck.problem(lastName: person.lastName, firstName: person.firstName, middleName: person.middleName, birthDate: person.birthDate,
                                             policy: person.policy, snils: person.snils, phone: person.phone, today: ProtocolTime.day(now, in: zone)) {
            throw MISFailure(.badRequest, message: problem)
        }
        let key = ReservationDesk.patientKey(person)
        let requestID = Self.ledgerID(request.booking.requestID)
        if let done = try await core.database.booking(requestID: requestID), done.appointmentID != nil {
            guard done.slotID == request.booking.slotID, done.patientKey == key else {
                throw MISFailure(.badRequest, message: "Этот идентификатор запроса уже использован для другой записи")
            }
            return done
        }
        guard let (specialty, doctor, slot) = try await schedule.owner(of: request.booking.slotID, clinic, client, now: now) else {
            throw MISFailure(.slotTaken, message: "Этого времени нет среди свободных: оно занято или закрыто для записи через портал")
        }
        do {
            return try await core.desk.reserve(ChosenSlot(clinic: clinic, client: client, doctor: doctor, specialty: specialty, slot: slot, zone: zone), for: person,
                                               requestID: requestID, now: now)
        } catch {
            throw Self.failure(error)
        }
    }

    /// The portal cancels one of its own bookings (the patient changed their mind on the portal).
    private func cancel(_ request: MISRequests.CreateClaimForRefusal, now: Date) async throws -> LedgerEntry {
        let (clinic, _) = try await schedule.clinic(request.clinic)
        guard let entry = try await core.database.booking(clinicID: clinic.id, appointmentID: request.appointment), entry.channel == MISChannel.federalPortal.rawValue,
            request.patient == nil || request.patient == entry.patientKey
        else { throw MISFailure(.appointmentNotFound, message: "Записи портала с таким номером в поликлинике нет") }
        if entry.status == .cancelled { return entry }
        do {
            try await core.desk.cancel(entry, reason: request.reason, by: .federalPortal, now: now)
        } catch {
            throw Self.failure(error)
        }
        return try await core.database.booking(requestID: entry.requestID) ?? entry
    }

    private func checkRange(_ range: MISRequests.DoctorRange) throws {
        guard ProtocolTime.isDay(range.from), ProtocolTime.isDay(range.to), range.from <= range.to else {
            throw MISFailure(.badRequest, message: "Даты — в виде ГГГГ-ММ-ДД, начало не позже конца")
        }
    }

    /// The ledger's id of a portal request: its own id hashed (never mistaken for another channel's).
    static func ledgerID(_ portalRequestID: String) -> String {
        "fed-" + SHA256.hash(data: Data(portalRequestID.utf8)).prefix(20).map { String(format: "%02x", $0) }.joined()
    }

    /// The protocol's error for what the booking desk said.
    static func failure(_ outcome: BookingDesk.Outcome) -> MISFailure {
        switch outcome {
        case .refused(let refusal, _, _):
            let code: MISErrorCode = switch refusal.code {
            case .slotTaken: .slotTaken
            case .alreadyBookedThatDay: .alreadyBookedWithSpecialty
            case .notAttached: .notAttached
            case .slotInPast, .tooSoon, .beyondHorizon: .noReception
            case .patientNotFound: .patientNotFound
            case .severalPatients: .severalPatientsFound
            case .clinicUnavailable: .internal
            default: .bookingForbidden
            }
            return MISFailure(code, message: RefusalTexts.title(refusal.code))
        case .unavailable: return MISFailure(.internal, message: "Поликлиника сейчас не отвечает: повторите запрос позже")
        case .notFound: return MISFailure(.appointmentNotFound, message: "Запись не найдена")
        case .notCancellable: return MISFailure(.noReception, message: "Время приёма уже наступило: отменить запись нельзя")
        }
    }

    /// A ledger entry of the portal as the protocol's appointment; `patient` is the door's id of the person.
    static func appointment(_ entry: LedgerEntry) -> MISAppointment {
        let status: MISAppointmentStatus = switch entry.status {
        case .awaiting, .pending: .reserved
        case .active: .active
        case .displaced: .displaced
        case .cancelled, .failed, .moved: .cancelled
        }
        return MISAppointment(id: entry.appointmentID ?? entry.requestID, ticket: entry.ticket, clinicID: entry.clinicID, slotID: entry.slotID, doctorID: entry.doctorID ?? "",
                              doctorName: entry.doctorName, specialtyID: entry.specialtyID ?? "", specialtyName: entry.specialtyName, start: entry.start, end: entry.end,
                              room: entry.room, status: status, channel: .federalPortal, cancelledBy: entry.cancelledBy.flatMap(MISChannel.init(rawValue:)),
                              cancelReason: entry.cancelReason, patientID: entry.patientKey)
    }

    /// One row of the portal's feed as the protocol's change.
    static func change(_ change: FederalChange) -> MISChange {
        MISChange(sequence: change.sequence, kind: MISChange.Kind(rawValue: change.kind) ?? .cancelled, appointmentID: change.appointmentID, patientID: change.patientKey,
                  previousStart: change.previousStart, newStart: change.newStart, at: change.at, reason: change.reason,
                  by: change.madeBy.flatMap(MISChannel.init(rawValue:)), refusal: change.refusal.flatMap(MISRefusalReason.init(rawValue:)))
    }
}
