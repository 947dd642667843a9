import Booking
import Foundation
import Metrics
import MISBridge
import Persistence

/// Everything about one chosen time that the check page and the confirmation need.
public struct ChosenSlot: Sendable {
    public let clinic: MISClinic
    public let client: MISClient
    public let doctor: MISDoctor
    public let specialty: MISSpecialty
    public let slot: MISSlot
    public let zone: TimeZone

    public init(clinic: MISClinic, client: MISClient, doctor: MISDoctor, specialty: MISSpecialty, slot: MISSlot, zone: TimeZone) {
        self.clinic = clinic
        self.client = client
        self.doctor = doctor
        self.specialty = specialty
        self.slot = slot
        self.zone = zone
    }
}

/// Books through the registry: the rules first, then the ledger, then the MIS — one path for every channel.
public struct BookingDesk: Sendable {
    public let region: Region
    public let database: any RegistryStore
    /// The one rules value every channel's bookings are checked against (configured settings).
    public let rules: BookingRules

    public init(region: Region, database: any RegistryStore, rules: BookingRules = BookingRules()) {
        self.region = region
        self.database = database
        self.rules = rules
    }

    /// Why a chosen time cannot be booked (or an appointment cancelled), or the failure to reach the clinic.
    public enum Outcome: Error {
        case refused(Refusal, alternatives: [MISSlot], zone: TimeZone?)
        case unavailable
        case notFound
        /// The MIS would not cancel the appointment (it has begun, or the clinic holds it).
        case notCancellable
    }

    /// Finds the chosen slot among the doctor's free times; `.refused(.slotTaken)` with alternatives if it is gone.
    /// The times a crowd shares for a few seconds are used (the confirmation, where SetAppointment
    /// decides anyway); `fresh` also asks the MIS now whether the time is still free (the check page),
    /// about that one day only, and about the whole range only when it is not. `day` (the slot's
    /// `YYYY-MM-DD`, as the time's own page gave it) lets the lookup read that day alone: the doctor's
    /// whole range is read only when the time is not found there.
    public func resolve(clinic clinicID: String, doctor doctorID: String, slot slotID: String, day: String? = nil, now: Date, fresh: Bool = false) async throws(Outcome) -> ChosenSlot {
        let (clinic, client) = try await clinic(clinicID)
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        do {
            let doctorAndSpecialty = try await region.doctor(doctorID, clinic: clinicID, client: client)
            guard let (doctor, specialty) = doctorAndSpecialty else { throw Outcome.notFound }
            if let day, ProtocolTime.isDay(day),
                let slot = try await client.availableAppointments(clinic: clinicID, doctor: doctorID, from: day, to: day, fresh: fresh).first(where: { $0.id == slotID }) {
                return ChosenSlot(clinic: clinic, client: client, doctor: doctor, specialty: specialty, slot: slot, zone: zone)
            }
            // Every free time, even one too soon to book: the rules then say why, rather than "taken".
            var slots = try await freeSlots(client: client, clinic: clinicID, doctor: doctorID, zone: zone, now: now, bookableOnly: false)
            var slot = slots.first { $0.id == slotID }
            if fresh, !(try await stillFree(slot, client: client, clinic: clinicID, doctor: doctorID, zone: zone)) {
                // The shared list was wrong about this time (either way): ask for all of it now, and drop the shared one.
                client.forgetFreeTimes(clinic: clinicID, doctor: doctorID)
                slots = try await freeSlots(client: client, clinic: clinicID, doctor: doctorID, zone: zone, now: now, bookableOnly: false, fresh: true)
                slot = slots.first { $0.id == slotID }
            }
            guard let slot else {
                throw Outcome.refused(Refusal(.slotTaken), alternatives: Array(slots.filter { rules.isBookable(start: $0.start, zone: zone, now: now) }.prefix(6)), zone: zone)
            }
            return ChosenSlot(clinic: clinic, client: client, doctor: doctor, specialty: specialty, slot: slot, zone: zone)
        } catch let outcome as Outcome {
            throw outcome
        } catch {
            throw (error as? MISFailure)?.isOutage == false ? .notFound : .unavailable
        }
    }

    /// Whether the MIS still lists `slot` as free now, asking about its day only.
    private func stillFree(_ slot: MISSlot?, client: MISClient, clinic: String, doctor: String, zone: TimeZone) async throws -> Bool {
        guard let slot else { return false }
        let day = ProtocolTime.day(slot.start, in: zone)
        return try await client.availableAppointments(clinic: clinic, doctor: doctor, from: day, to: day, fresh: true).contains { $0.id == slot.id }
    }

    /// The rules the registry checks before asking the MIS (which checks again). `requestID` names
    /// the attempt being made, whose own pending ledger entry does not count against it.
    /// `ledger` is the patient's entries as just read (`database.bookings(patientKey:)`).
    /// `moving` is the booking being moved, which does not count against one per specialty a day.
    /// `referral`: the patient holds a valid referral for it (`referralRefusal` said nil).
    public func refusal(for chosen: ChosenSlot, patient: IdentifiedPatient, ledger: [LedgerEntry], requestID: String? = nil, moving: LedgerEntry? = nil, referral: Bool = false, now: Date) -> Refusal? {
        guard let card = patient.cards[chosen.clinic.id] else { return Refusal(.patientNotFound) }
        let held = ledger.filter { $0.status.holdsTime && $0.requestID != requestID }
            .map { BookingRules.Held(federalCode: $0.federalCode, day: $0.day, appointmentID: $0.appointmentID ?? $0.requestID) }
        let specialty = BookingRules.Specialty(
            federalCode: chosen.specialty.federalCode, access: BookingRules.Access(rawValue: chosen.specialty.selfBooking.rawValue) ?? .referral,
            minimumAge: chosen.specialty.minimumAge, maximumAge: chosen.specialty.maximumAge, attachedOnly: chosen.specialty.attachedOnly
        )
        // The clinic's card lists the specialties (by this clinic's ids) the patient is observed with.
        let dispensary: Set<String> = card.dispensarySpecialtyIDs.contains(chosen.specialty.id) ? [chosen.specialty.federalCode] : []
        let facts = BookingRules.Patient(birthDate: patient.birthDate, dispensaryCodes: dispensary, hasReferral: referral, held: held, attached: card.attachedClinicID == chosen.clinic.id)
        return rules.refusal(start: chosen.slot.start, zone: chosen.zone, specialty: specialty, patient: facts, now: now, replacing: moving.map { $0.appointmentID ?? $0.requestID })
    }

    /// The patient's active booking of the same specialty on the same day as `chosen` (what one
    /// appointment per specialty a day refuses it for), if any.
    public static func conflict(with chosen: ChosenSlot, in ledger: [LedgerEntry]) -> LedgerEntry? {
        let day = BookingRules.day(chosen.slot.start, chosen.zone)
        return ledger.first { $0.status.isBooked && $0.federalCode == chosen.specialty.federalCode && $0.day == day }
    }

    /// The patient's active booking of this very time among their `ledger` entries, if they already hold it.
    public static func held(clinic: String, slot: String, in ledger: [LedgerEntry]) -> LedgerEntry? {
        ledger.first { $0.clinicID == clinic && $0.slotID == slot && $0.status.isBooked }
    }

    /// Whether the referral numbered `number` lets `patient` book `chosen`, as its clinic's MIS says:
    /// nil when it does, otherwise the refusal (not found, used, expired, for another specialty).
    public func referralRefusal(_ number: String, for chosen: ChosenSlot, patient: IdentifiedPatient) async throws(Outcome) -> Refusal? {
        guard let misPatient = patient.clinicPatients[chosen.clinic.id] else { return Refusal(.patientNotFound) }
        let referral: MISReferral
        do {
            referral = try await chosen.client.checkReferral(clinic: chosen.clinic.id, referral: number, patient: misPatient)
        } catch {
            if error.isOutage { throw .unavailable }
            return Refusal(.referralNotFound)
        }
        switch referral.status {
        case .used: return Refusal(.referralUsed)
        case .expired: return Refusal(.referralExpired)
        case .valid: break
        }
        if referral.specialtyID != chosen.specialty.id { return Refusal(.referralOtherSpecialty) }
        if referral.validUntil < BookingRules.day(chosen.slot.start, chosen.zone) { return Refusal(.referralExpired) }
        return nil
    }

    /// Books `chosen` for `patient` (whose entries `ledger` were just read) under `requestID`; a
    /// repeated request returns the same booking. `referral` is a number `referralRefusal` accepted:
    /// the MIS checks it again and marks it used with the appointment.
    public func book(_ chosen: ChosenSlot, patient: IdentifiedPatient, ledger: [LedgerEntry], requestID: String, by actor: BookingActor, referral: String? = nil, now: Date) async throws(Outcome) -> LedgerEntry {
        try await place(chosen, patient: patient, ledger: ledger, requestID: requestID, by: actor, moving: nil, referral: referral, now: now)
    }

    /// Reserves `chosen` for a person the federal portal knows by their own data (no card): the same
    /// rules and ledger as every channel (rule 2 across all of the person's bookings, the site's
    /// included), then the MIS, which makes a reservation for the clinic to confirm. A repeated
    /// request returns the same reservation.
    public func reserve(_ chosen: ChosenSlot, for person: MISPersonDetails, requestID: String, now: Date) async throws(Outcome) -> LedgerEntry {
        let key = ReservationDesk.patientKey(person)
        // The clinic's MIS checks attachment by the card it finds for the person; the registry checks the rest.
        let patient = IdentifiedPatient(key: key, displayName: person.fullName, birthDate: person.birthDate,
                                        cards: [chosen.clinic.id: ClinicCard(patientID: "", attachedClinicID: chosen.clinic.id)])
        let ledger: [LedgerEntry]
        do {
            ledger = try await database.bookings(patientKey: key)
        } catch {
            throw .unavailable
        }
        return try await place(chosen, patient: patient, ledger: ledger, requestID: requestID, by: .federalPortal, moving: nil, referral: nil, person: person, now: now)
    }

    /// Whether `entry` can be moved now: active, confirmed by the MIS, still ahead.
    public static func isMovable(_ entry: LedgerEntry, now: Date) -> Bool {
        entry.status.isBooked && entry.appointmentID != nil && entry.start > now
    }

    /// Moves the active booking `old` to `chosen` — another time of the same doctor, or of another
    /// doctor of the same specialty in the same clinic — in one SetAppointment naming the previous
    /// appointment, so that the MIS cancels the old one in the same transaction as it makes the new
    /// one: failing half-way leaves the patient with the old one, never with none or two. The rules
    /// are those of a new booking, except that `old` does not count against one per specialty a day.
    /// A repeated request returns the same new booking.
    public func move(_ old: LedgerEntry, to chosen: ChosenSlot, patient: IdentifiedPatient, ledger: [LedgerEntry], requestID: String, by actor: BookingActor, now: Date) async throws(Outcome) -> LedgerEntry {
        guard Self.isMovable(old, now: now), old.patientKey == patient.key else { throw .notFound }
        if let refusal = Self.elsewhere(old, chosen) { throw .refused(refusal, alternatives: [], zone: chosen.zone) }
        return try await place(chosen, patient: patient, ledger: ledger, requestID: requestID, by: actor, moving: old, referral: old.referral, now: now)
    }

    /// Why `old` cannot be moved to `chosen` now, checked before asking (the move page's check): a
    /// time of another specialty or clinic, or what the rules say with `old` set aside (its referral
    /// goes with it).
    public func moveRefusal(_ old: LedgerEntry, to chosen: ChosenSlot, patient: IdentifiedPatient, ledger: [LedgerEntry], now: Date) -> Refusal? {
        Self.elsewhere(old, chosen) ?? refusal(for: chosen, patient: patient, ledger: ledger, moving: old, referral: old.referral != nil, now: now)
    }

    /// A move leads only to the same specialty in the same clinic.
    private static func elsewhere(_ old: LedgerEntry, _ chosen: ChosenSlot) -> Refusal? {
        chosen.clinic.id == old.clinicID && chosen.specialty.federalCode == old.federalCode ? nil : Refusal(.moveElsewhere)
    }

    /// Books `chosen` (moving `moving`, if given): the rules, the pending ledger entry, then the MIS.
    private func place(_ chosen: ChosenSlot, patient: IdentifiedPatient, ledger: [LedgerEntry], requestID: String, by actor: BookingActor, moving: LedgerEntry?, referral: String?,
                       person: MISPersonDetails? = nil, now: Date) async throws(Outcome) -> LedgerEntry {
        guard let misPatient = patient.clinicPatients[chosen.clinic.id] else { throw .refused(Refusal(.patientNotFound), alternatives: [], zone: chosen.zone) }
        let entry: LedgerEntry
        do {
            if let refusal = refusal(for: chosen, patient: patient, ledger: ledger, requestID: requestID, moving: moving, referral: referral != nil, now: now) {
                await recordRefusal(refusal, channel: actor.channel, clinic: chosen.clinic.id, specialty: chosen.specialty.id, zone: chosen.zone, now: now)
                throw Outcome.refused(refusal, alternatives: [], zone: chosen.zone)
            }
            entry = try await database.beginBooking(LedgerEntry(
                requestID: requestID, patientKey: patient.key, clinicID: chosen.clinic.id, slotID: chosen.slot.id, misPatientID: misPatient,
                clinicName: chosen.clinic.fullName, clinicAddress: chosen.slot.address, clinicPhone: chosen.clinic.phone,
                doctorID: chosen.doctor.id, specialtyID: chosen.specialty.id, timeZone: chosen.clinic.timeZone,
                federalCode: chosen.specialty.federalCode, specialtyName: chosen.specialty.name, doctorName: chosen.doctor.name,
                room: chosen.slot.room, start: chosen.slot.start, end: chosen.slot.end, day: BookingRules.day(chosen.slot.start, chosen.zone),
                status: .pending, channel: actor.channel.rawValue, createdAt: now, replaces: moving?.requestID, referral: referral, actor: actor.ledgerValue
            ))
        } catch let outcome as Outcome {
            throw outcome
        } catch is LedgerConflict {
            // Another request (another tab, another node) began a time of this specialty that day first: rule 2, held by the store.
            await recordRefusal(Refusal(.alreadyBookedThatDay), channel: actor.channel, clinic: chosen.clinic.id, specialty: chosen.specialty.id, zone: chosen.zone, now: now)
            throw .refused(Refusal(.alreadyBookedThatDay), alternatives: [], zone: chosen.zone)
        } catch {
            throw .unavailable
        }
        // The same request id booked meanwhile (a double click racing itself): that booking is the answer.
        if entry.status.isBooked { return entry }
        return try await send(entry, previousAppointment: moving?.appointmentID, person: person, client: chosen.client, doctorID: chosen.doctor.id, zone: chosen.zone, now: now)
    }

    /// Asks the MIS again for an attempt whose answer was lost (the clinic was down or slow). The
    /// slot is not looked up again — the MIS may already hold it for this very request — and the
    /// same request id cannot book twice.
    public func resume(_ entry: LedgerEntry, doctorID: String, now: Date) async throws(Outcome) -> LedgerEntry {
        let found = try await clinic(entry.clinicID)
        // A move asked again names the same previous appointment.
        let previous: String?
        do {
            previous = if let replaced = entry.replaces { try await database.booking(requestID: replaced)?.appointmentID } else { nil }
        } catch {
            throw .unavailable
        }
        return try await send(entry, previousAppointment: previous, client: found.client, doctorID: doctorID, zone: TimeZone(identifier: entry.timeZone) ?? .current, now: now)
    }

    /// Cancels an active booking of the ledger through `actor`'s channel; `reason` is the patient's
    /// own words, if any.
    public func cancel(_ entry: LedgerEntry, reason: String?, by actor: BookingActor, now: Date) async throws(Outcome) {
        guard entry.status.isBooked || entry.status == .displaced, let appointmentID = entry.appointmentID else { throw .notFound }
        try await cancel(clinic: entry.clinicID, appointment: appointmentID, patient: entry.misPatientID.isEmpty ? nil : entry.misPatientID, reason: reason, by: actor, now: now)
    }

    /// Cancels an appointment of `patient` (their id in that clinic's MIS), whichever channel made
    /// it; if the registry made it, its ledger entry is marked cancelled too. An appointment the MIS
    /// no longer has (the clinic cancelled it first) is marked cancelled here as well. The bridge
    /// frees the time in its shared free times by itself.
    public func cancel(clinic clinicID: String, appointment appointmentID: String, patient: String?, reason: String?, by actor: BookingActor, now: Date) async throws(Outcome) {
        // A clinic no gateway lists any more cannot be asked now; the booking stays as it is.
        let found = try await clinic(clinicID, unknown: .unavailable)
        do {
            _ = try await found.client.cancel(clinic: clinicID, appointment: appointmentID, patient: patient, reason: reason, by: actor.channel, actor: actor.ledgerValue)
        } catch {
            if error.isOutage { throw .unavailable }
            // Already gone in the MIS (cancelled by the clinic): the ledger catches up below.
            guard error.code == .appointmentNotFound else { throw .notCancellable }
            found.client.forgetFreeTimes(clinic: clinicID)
        }
        do {
            try await database.cancelBooking(clinicID: clinicID, appointmentID: appointmentID, by: actor.channel.rawValue, actor: actor.ledgerValue, reason: reason, now: now)
            DeskMetrics.cancelled(channel: actor.channel)
        } catch {
            throw .unavailable
        }
    }

    /// The clinic and the client of its gateway: a MIS outage is `.unavailable`, a clinic no gateway lists `unknown`.
    private func clinic(_ id: String, unknown: Outcome = .notFound) async throws(Outcome) -> (clinic: MISClinic, client: MISClient) {
        let found: (clinic: MISClinic, client: MISClient)?
        do {
            found = try await region.clinic(id)
        } catch {
            throw error.isOutage ? .unavailable : .notFound
        }
        guard let found else { throw unknown }
        return found
    }

    /// Sends a pending ledger entry to its MIS and settles it with the answer.
    /// The MIS's answer is written to the ledger before the patient is told; if that write fails,
    /// the entry stays pending and reconciliation settles it from the clinic's history.
    private func send(_ entry: LedgerEntry, previousAppointment: String?, person: MISPersonDetails? = nil, client: MISClient, doctorID: String, zone: TimeZone, now: Date) async throws(Outcome) -> LedgerEntry {
        let appointment: MISAppointment
        do {
            let channel = MISChannel(rawValue: entry.channel) ?? .other
            let request = person.map { MISBookingRequest(slotID: entry.slotID, person: $0, channel: channel, requestID: entry.requestID, actor: entry.actor) }
                ?? MISBookingRequest(slotID: entry.slotID, patientID: entry.misPatientID, channel: channel, requestID: entry.requestID,
                                     previousAppointmentID: previousAppointment, referral: entry.referral, actor: entry.actor)
            appointment = try await client.setAppointment(clinic: entry.clinicID, request)
        } catch {
            throw await refused(entry, by: error, client: client, doctorID: doctorID, zone: zone, now: now)
        }
        // A clinic that approves this channel's bookings made a reservation: it holds the time, the clinic is to confirm it.
        let awaiting = appointment.status == .reserved
        do {
            try await database.confirmBooking(requestID: entry.requestID, appointmentID: appointment.id, ticket: appointment.ticket, awaiting: awaiting, now: now)
        } catch {
            throw .unavailable
        }
        var confirmed = entry
        confirmed.appointmentID = appointment.id
        confirmed.ticket = appointment.ticket
        confirmed.status = awaiting ? .awaiting : .active
        DeskMetrics.booked(confirmed)
        return confirmed
    }

    /// Counts a refusal shown: in /metrics, and in the statistics (code, channel, clinic, specialty,
    /// the clinic's day — no person). A store that does not take the figure loses only the figure.
    private func recordRefusal(_ refusal: Refusal, channel: MISChannel, clinic: String, specialty: String, zone: TimeZone, now: Date) async {
        DeskMetrics.refused(refusal, channel: channel)
        let key = [refusal.code.rawValue, channel.rawValue, specialty].joined(separator: "|")
        try? await database.addStatistic(StatisticCount(basis: .shown, day: ProtocolTime.day(now, in: zone), clinic: clinic, metric: StatisticMetric.refusal.rawValue, key: key, value: 1))
    }

    /// What the patient is told when the MIS did not book; the ledger entry is settled to match.
    /// (Should that write fail, the entry stays pending and reconciliation settles it from the
    /// clinic's history — it never holds a time the MIS refused.)
    private func refused(_ entry: LedgerEntry, by error: MISFailure, client: MISClient, doctorID: String, zone: TimeZone, now: Date) async -> Outcome {
        // An outage leaves the entry pending: the MIS may have booked; a retry or reconciliation asks again with the same request id.
        // A request that never reached the MIS (no connection, circuit open) booked nothing: the attempt holds nothing either.
        guard !error.isOutage else {
            if !error.requestSent { try? await database.failBooking(requestID: entry.requestID) }
            return .unavailable
        }
        try? await database.failBooking(requestID: entry.requestID)
        await recordRefusal(error.code == .slotTaken ? Refusal(.slotTaken) : Self.refusal(for: error), channel: MISChannel(rawValue: entry.channel) ?? .other,
                            clinic: entry.clinicID, specialty: entry.specialtyID ?? "", zone: zone, now: now)
        guard error.code == .slotTaken else { return .refused(Self.refusal(for: error), alternatives: [], zone: zone) }
        // The shared list said free, the MIS says taken: that list is stale.
        client.forgetFreeTimes(clinic: entry.clinicID, doctor: doctorID)
        let alternatives = (try? await freeSlots(client: client, clinic: entry.clinicID, doctor: doctorID, zone: zone, now: now)) ?? []
        return .refused(Refusal(.slotTaken), alternatives: Array(alternatives.prefix(6)), zone: zone)
    }

    /// The doctor's free times within the horizon, as the client shares them for a few seconds (the
    /// MIS decides at SetAppointment); `bookableOnly` leaves out those the rules forbid booking now.
    private func freeSlots(client: MISClient, clinic: String, doctor: String, zone: TimeZone, now: Date, bookableOnly: Bool = true, fresh: Bool = false) async throws -> [MISSlot] {
        let from = ProtocolTime.day(now, in: zone)
        // The same days as the doctor's pages (`DoctorSchedule`), so that both share one list.
        let to = rules.lastDay(now: now, zone: zone)
        return try await client.availableAppointments(clinic: clinic, doctor: doctor, from: from, to: to, fresh: fresh)
            .filter { !bookableOnly || rules.isBookable(start: $0.start, zone: zone, now: now) }
    }

    /// The refusal a patient reads for a MIS's answer.
    public static func refusal(for failure: MISFailure) -> Refusal {
        switch failure.code {
        case .slotTaken: Refusal(.slotTaken)
        case .alreadyBookedWithSpecialty: Refusal(.alreadyBookedThatDay)
        case .notAttached: Refusal(.notAttached)
        case .patientNotFound: Refusal(.patientNotFound)
        case .severalPatientsFound: Refusal(.severalPatients)
        case .noReception: Refusal(.slotInPast)
        default: Refusal(.bookingForbidden)
        }
    }
}
