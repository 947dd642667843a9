import Booking
import Foundation
import MISBridge
import Persistence

/// What a clinic's registrar decides about the bookings that wait for the clinic: reservations to
/// confirm with a card (found, or opened for the person) or to refuse, and bookings a closed day
/// displaced, to move to another time of the specialty or to cancel. The MIS decides each in one
/// transaction — of two registrars at once exactly one acts, the other is told it was decided — and
/// the ledger, with the patient's message, follows at once. Every look and decision is audited.
public struct ReservationDesk: Sendable {
    let region: Region
    let database: any RegistryStore
    let audit: AuditTrail
    let reconciler: LedgerReconciler

    public init(region: Region, database: any RegistryStore, audit: AuditTrail, reconciler: LedgerReconciler) {
        self.region = region
        self.database = database
        self.audit = audit
        self.reconciler = reconciler
    }

    /// A clinic's queue: reservations awaiting a decision and displaced bookings, oldest first.
    public struct Queue: Sendable {
        public let clinic: MISClinic
        public let awaiting: [MISReservation]
        public let displaced: [MISReservation]
    }

    /// What became of a decision.
    public enum Outcome: Error, Sendable, Equatable {
        /// Someone decided it first (or it is no longer there): the MIS's words for what became of it.
        case alreadyDecided(String)
        /// The MIS refused this decision (rule 2, a taken time, a card not of this clinic): its words.
        case refused(MISErrorCode, String)
        case unavailable
        /// No such booking awaiting the clinic.
        case notFound
    }

    /// A card the person may have: a person the MIS found, and their card in this clinic if any.
    public struct Candidate: Sendable, Equatable {
        public let person: MISPerson
        /// The card to confirm with in this clinic; nil when the person has none here yet.
        public let cardID: String?
    }

    public func queue(clinic id: String, by account: StaffAccount, address: String?, now: Date) async throws(Outcome) -> Queue {
        let (clinic, client) = try await found(id)
        // What the clinic did on its side reaches the ledger (and the patients' messages) first.
        await reconciler.followChanges(clinic: id, client: client, now: now)
        let all: [MISReservation]
        do {
            all = try await client.reservations(clinic: id)
        } catch {
            throw .unavailable
        }
        try await record(.queueViewed, by: account, patientKey: nil, detail: "поликлиника \(id), ждут решения: \(all.count)", address: address, now: now)
        return Queue(clinic: clinic, awaiting: all.filter { $0.appointment.status == .reserved }, displaced: all.filter { $0.appointment.status == .displaced })
    }

    /// One booking of the queue, looked at (audited with the person's key).
    public func reservation(clinic: String, appointment: String, by account: StaffAccount, address: String?, now: Date) async throws(Outcome) -> (MISClinic, MISReservation) {
        let (place, client) = try await found(clinic)
        let all: [MISReservation]
        do {
            all = try await client.reservations(clinic: clinic)
        } catch {
            throw .unavailable
        }
        guard let reservation = all.first(where: { $0.appointment.id == appointment }) else { throw .notFound }
        try await record(.patientShown, by: account, patientKey: Self.patientKey(reservation.person), detail: "бронь \(appointment), поликлиника \(clinic)", address: address, now: now)
        return (place, reservation)
    }

    /// The people the clinic's MIS finds for the person — by policy, then by name and birth date — with
    /// their card in this clinic. Empty when nobody matches.
    public func candidates(for person: MISPersonDetails, clinic: String) async throws(Outcome) -> [Candidate] {
        let (_, client) = try await found(clinic)
        var people: [MISPerson] = []
        do {
            people = try await client.searchPatients(.policy(person.policy)).people.filter { $0.birthDate == person.birthDate }
            if people.isEmpty {
                people = try await client.searchPatients(.name(lastName: person.lastName, firstName: person.firstName, birthDate: person.birthDate)).people
            }
        } catch {
            throw .unavailable
        }
        return people.map { Candidate(person: $0, cardID: $0.cards.first { $0.clinic == clinic }?.patientID) }
    }

    /// Confirms a reservation with the card `patient` (`createCard`: a card opened first for the person as the channel gave them).
    public func confirm(clinic: String, appointment: String, patient: String?, createCardFor person: MISPersonDetails?, by account: StaffAccount, address: String?,
                        now: Date) async throws(Outcome) -> MISAppointment {
        let (place, client) = try await found(clinic)
        let actor = AuditTrail.actor(account)
        let waiting = (try? await database.booking(clinicID: clinic, appointmentID: appointment)) ?? nil
        var card = patient
        if let person, card == nil {
            do {
                card = try await client.createPatient(clinic: clinic, person: person).id
            } catch {
                throw Self.outcome(error)
            }
            _ = try? await audit.record(.cardCreated, by: actor, patientKey: Self.patientKey(person), detail: "поликлиника \(clinic), карта \(card ?? "")", address: address, now: now)
        }
        guard let card else { throw .notFound }
        let confirmed: MISAppointment
        do {
            confirmed = try await client.confirmReservation(clinic: clinic, appointment: appointment, patient: card, actor: actor)
        } catch {
            throw Self.outcome(error)
        }
        _ = try? await database.settleBooking(clinicID: clinic, appointmentID: appointment, .confirmed(misPatientID: card), now: now)
        await count(.confirmed, waiting: waiting, clinic: place, now: now)
        _ = try? await audit.record(.reservationConfirmed, by: actor, patientKey: try? await patientKey(clinic: clinic, appointment: appointment),
                                detail: "поликлиника \(clinic), бронь \(appointment), карта \(card)", address: address, now: now)
        return confirmed
    }

    /// Refuses a reservation, or cancels a displaced booking, with a reason and the sentence the patient reads.
    public func refuse(clinic: String, appointment: String, reason: MISRefusalReason, text: String?, by account: StaffAccount, address: String?, now: Date) async throws(Outcome) -> MISAppointment {
        let (place, client) = try await found(clinic)
        let actor = AuditTrail.actor(account)
        let waiting = (try? await database.booking(clinicID: clinic, appointmentID: appointment)) ?? nil
        let sentence = text ?? ReservationRefusal.sentence(reason)
        let refused: MISAppointment
        do {
            refused = try await client.refuseReservation(clinic: clinic, appointment: appointment, reason: reason, text: sentence, actor: actor)
        } catch {
            throw Self.outcome(error)
        }
        _ = try? await database.settleBooking(clinicID: clinic, appointmentID: appointment, .refused(reason: sentence, code: reason.rawValue), now: now)
        await count(waiting?.status == .displaced ? .cancelled : .refused, waiting: waiting, clinic: place, now: now)
        _ = try? await audit.record(.reservationRefused, by: actor, patientKey: try? await patientKey(clinic: clinic, appointment: appointment),
                                detail: "поликлиника \(clinic), запись \(appointment): \(ReservationRefusal.title(reason))", address: address, now: now)
        return refused
    }

    /// Moves a displaced booking (or a reservation) to `slot`, a free time of the same specialty; the patient is told the new time.
    public func move(clinic: String, appointment: String, to slot: String, by account: StaffAccount, address: String?, now: Date) async throws(Outcome) -> MISAppointment {
        let (place, client) = try await found(clinic)
        let actor = AuditTrail.actor(account)
        let waiting = (try? await database.booking(clinicID: clinic, appointmentID: appointment)) ?? nil
        let moved: MISAppointment
        do {
            moved = try await client.moveAppointment(clinic: clinic, appointment: appointment, slot: slot, reason: "перенос поликлиникой", actor: actor)
        } catch {
            throw Self.outcome(error)
        }
        _ = try? await database.moveBooking(clinicID: clinic, appointmentID: appointment, to: LedgerMove(moved, zone: TimeZone(identifier: place.timeZone) ?? .current), now: now)
        await count(.moved, waiting: waiting, clinic: place, now: now)
        _ = try? await audit.record(.reservationMoved, by: actor, patientKey: try? await patientKey(clinic: clinic, appointment: appointment),
                                detail: "поликлиника \(clinic), запись \(appointment) на \(ProtocolTime.string(moved.start, in: TimeZone(identifier: place.timeZone) ?? .current))",
                                address: address, now: now)
        return moved
    }

    /// Free times of a specialty in the clinic from now to the end of the horizon, doctor by doctor,
    /// for moving a displaced booking there.
    public func freeTimes(clinic: String, specialty: String, rules: BookingRules, now: Date) async throws(Outcome) -> [(doctor: MISDoctor, slots: [MISSlot])] {
        let (place, client) = try await found(clinic)
        let zone = TimeZone(identifier: place.timeZone) ?? .current
        do {
            var found: [(MISDoctor, [MISSlot])] = []
            for doctor in try await client.doctors(clinic: clinic, specialty: specialty) where doctor.freeCount > 0 {
                let slots = try await client.availableAppointments(clinic: clinic, doctor: doctor.id, from: ProtocolTime.day(now, in: zone), to: rules.lastDay(now: now, zone: zone), fresh: true)
                    .filter { $0.start > now }
                if !slots.isEmpty { found.append((doctor, slots)) }
            }
            return found
        } catch {
            throw .unavailable
        }
    }

    /// Counts a decision for the statistics: what, and how long the booking had waited (from the
    /// ledger: a reservation since it was made, a displaced booking since its time was closed; a
    /// booking the registry did not make counts without a wait). A store that does not take it loses the figure only.
    private func count(_ kind: StatisticMetric.DecisionKind, waiting entry: LedgerEntry?, clinic: MISClinic, now: Date) async {
        let zone = TimeZone(identifier: clinic.timeZone) ?? .current
        let since = entry.map { $0.status == .displaced ? $0.cancelledAt ?? $0.createdAt : $0.createdAt }
        let key = kind.rawValue + "|" + (since.map { StatisticMetric.Waited(seconds: now.timeIntervalSince($0)).rawValue } ?? "—")
        _ = try? await database.addStatistic(StatisticCount(basis: .shown, day: ProtocolTime.day(now, in: zone), clinic: clinic.id, metric: StatisticMetric.decision.rawValue, key: key, value: 1))
    }

    /// A look at personal data is shown only once it is in the audit trail.
    private func record(_ action: AuditTrail.Action, by account: StaffAccount, patientKey: String?, detail: String, address: String?, now: Date) async throws(Outcome) {
        do {
            try await audit.record(action, by: AuditTrail.actor(account), patientKey: patientKey, detail: detail, address: address, now: now)
        } catch {
            throw .unavailable
        }
    }

    private func found(_ id: String) async throws(Outcome) -> (MISClinic, MISClient) {
        do {
            guard let found = try await region.clinic(id) else { throw Outcome.notFound }
            return found
        } catch let outcome as Outcome {
            throw outcome
        } catch {
            throw .unavailable
        }
    }

    /// The ledger's patient key of a booking the registry made, if it made it.
    private func patientKey(clinic: String, appointment: String) async throws -> String? {
        try await database.booking(clinicID: clinic, appointmentID: appointment)?.patientKey
    }

    /// The stable key of a person: their policy as the protocol carries it, with their birth date.
    public static func patientKey(_ person: MISPersonDetails) -> String {
        CallerSearch.patientKey(policy: person.policy, birthDate: person.birthDate)
    }

    private static func outcome(_ failure: MISFailure) -> Outcome {
        if failure.isOutage { return .unavailable }
        switch failure.code {
        case .alreadyDecided: return .alreadyDecided(failure.detail ?? "Запись уже не ждёт решения")
        case .appointmentNotFound: return .notFound
        case let code?: return .refused(code, failure.detail ?? "")
        case nil: return .unavailable
        }
    }
}
