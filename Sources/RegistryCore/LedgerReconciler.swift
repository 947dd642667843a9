import Booking
import Foundation
import Logging
import MISBridge
import Persistence

/// Keeps the ledger and the clinics' MIS in agreement. Entries left `pending` (the registry asked but
/// never learned the answer) are settled from the clinic's history; what clinics did on their side
/// (a doctor's day closed, an appointment moved) is read from their change logs (GetChanges). Runs
/// from `RegistryHousekeeping` and when a patient opens the cabinet.
public struct LedgerReconciler: Sendable {
    public let region: Region
    public let database: any RegistryStore
    public let logger: Logger
    /// An attempt younger than this may still be on its way; it is left alone. (A call to a MIS ends
    /// within its budget, `MISCallPolicy.callBudget`, so ten seconds leave a wide margin.)
    public var grace: TimeInterval = 10
    /// A pending attempt whose clinic keeps answering, but unreadably, is given up after this long:
    /// marked failed (it holds nothing) and logged for staff, rather than asked about for ever.
    public var abandonUnreadableAfter: TimeInterval = 3_600
    /// At most this many change batches are read from one clinic per round.
    public var batchesPerRound = 20

    public init(region: Region, database: any RegistryStore, logger: Logger) {
        self.region = region
        self.database = database
        self.logger = logger
    }

    /// Settles every pending entry older than the grace period.
    public func reconcileAll(now: Date) async {
        guard let pending = try? await database.pendingBookings(olderThan: now.addingTimeInterval(-grace)), !pending.isEmpty else { return }
        await reconcile(pending, now: now)
    }

    /// Settles the patient's pending entries old enough to be settled (before the rules count them);
    /// returns the ledger as it then is.
    public func settlePending(of patientKey: String, in ledger: [LedgerEntry], now: Date) async throws -> [LedgerEntry] {
        let unsettled = ledger.filter { $0.status == .pending && now.timeIntervalSince($0.createdAt) >= grace }
        guard !unsettled.isEmpty else { return ledger }
        await reconcile(unsettled, now: now)
        return try await database.bookings(patientKey: patientKey)
    }

    /// The patient's ledger as the cabinet shows it: their pending bookings settled, and the change
    /// logs of the clinics of their upcoming visits read first, so that what a clinic cancelled or
    /// moved shows now.
    public func refreshedLedger(of patientKey: String, now: Date) async throws -> [LedgerEntry] {
        let before = try await settlePending(of: patientKey, in: try await database.bookings(patientKey: patientKey), now: now)
        let upcoming = Set(before.filter { ($0.status.isBooked && $0.start > now) || $0.status == .displaced }.map(\.clinicID))
        if !upcoming.isEmpty { await followChanges(clinics: upcoming, now: now) }
        return try await database.bookings(patientKey: patientKey)
    }

    /// Settles the given entries; an entry whose MIS cannot be reached stays pending for next time.
    public func reconcile(_ entries: [LedgerEntry], now: Date = Date()) async {
        for entry in entries where entry.status == .pending {
            do {
                guard let found = try await region.clinic(entry.clinicID) else { continue }
                if let made = try await madeAppointment(of: entry, client: found.client) {
                    try await database.confirmBooking(requestID: entry.requestID, appointmentID: made.id, ticket: made.ticket, awaiting: made.reserved, now: now)
                } else {
                    try await database.failBooking(requestID: entry.requestID)
                }
                logger.info("ledger reconciled", metadata: ["ledger.clinic": .string(entry.clinicID)])
            } catch let failure as MISFailure where failure.kind == .badAnswer && now.timeIntervalSince(entry.createdAt) >= abandonUnreadableAfter {
                try? await database.failBooking(requestID: entry.requestID)
                logger.warning("ledger entry given up: the clinic's answers cannot be read", metadata: ["ledger.clinic": .string(entry.clinicID), "ledger.request": .string(entry.requestID)])
            } catch {
                logger.warning("ledger reconciliation postponed", metadata: ["ledger.clinic": .string(entry.clinicID), "error.type": .string(String(describing: type(of: error)))])
            }
        }
    }

    /// The appointment the MIS made for a pending entry, if it made one: found in the patient's
    /// history by the card, or — a reservation made with a person's own data has no card — among
    /// the bookings of its slot's day made through the entry's channel.
    private func madeAppointment(of entry: LedgerEntry, client: MISClient) async throws(MISFailure) -> (id: String, ticket: String?, reserved: Bool)? {
        if !entry.misPatientID.isEmpty {
            let history = try await client.history(clinic: entry.clinicID, patient: entry.misPatientID)
            return history.first { $0.slotID == entry.slotID && $0.status.isUpcoming }.map { ($0.id, $0.ticket, $0.status == .reserved) }
        }
        guard let doctor = entry.doctorID else { return nil }
        let slot = try await client.schedule(clinic: entry.clinicID, doctor: doctor, from: entry.day, to: entry.day).flatMap(\.slots).first { $0.id == entry.slotID }
        return slot?.bookings.first { $0.patientID == nil && $0.channel.rawValue == entry.channel && $0.status.holdsSlot }.map { ($0.appointmentID, $0.ticket, $0.status == .reserved) }
    }

    /// Reads every clinic's change log.
    public func followAllChanges(now: Date) async {
        guard let clinics = try? await region.clinics() else { return }
        for (clinic, client) in clinics { await followChanges(clinic: clinic.id, client: client, now: now) }
    }

    /// Reads the change logs of these clinics (the cabinet's, before it shows the patient's tickets).
    public func followChanges(clinics ids: Set<String>, now: Date) async {
        for id in ids.sorted() {
            guard let found = try? await region.clinic(id) else { continue }
            await followChanges(clinic: id, client: found.client, now: now)
        }
    }

    /// Applies one clinic's changes since the stored cursor to the ledger; an unreachable MIS is asked next time.
    public func followChanges(clinic: String, client: MISClient, now: Date) async {
        do {
            var cursor = try await database.changeCursor(clinicID: clinic)
            for _ in 0..<batchesPerRound {
                let batch = try await client.changes(clinic: clinic, cursor: cursor)
                var applied = 0
                for change in batch.changes where try await apply(change, clinic: clinic, client: client, now: now) { applied += 1 }
                if batch.cursor != cursor { try await database.saveChangeCursor(clinicID: clinic, cursor: batch.cursor, now: now) }
                if applied > 0 { logger.info("clinic changes applied", metadata: ["ledger.clinic": .string(clinic), "ledger.changes": .stringConvertible(applied)]) }
                guard !batch.changes.isEmpty, batch.cursor != cursor else { break }
                cursor = batch.cursor
            }
        } catch {
            logger.warning("clinic changes postponed", metadata: ["ledger.clinic": .string(clinic), "error.type": .string(String(describing: type(of: error)))])
        }
    }

    /// One change of the clinic's log; true if it touched a booking made through the registry.
    private func apply(_ change: MISChange, clinic: String, client: MISClient, now: Date) async throws -> Bool {
        switch change.kind {
        case .cancelled:
            let by = change.by ?? .clinic
            return try await database.cancelBooking(clinicID: clinic, appointmentID: change.appointmentID, by: by.rawValue, actor: nil, reason: change.reason, now: change.at)
        case .moved:
            guard let entry = try await database.booking(clinicID: clinic, appointmentID: change.appointmentID) else { return false }
            if let newAppointment = change.newAppointmentID {
                return try await recordReschedule(of: entry, to: newAppointment, client: client, by: change.by ?? .clinic)
            }
            guard let newStart = change.newStart else { return false }
            return try await database.moveBooking(clinicID: clinic, appointmentID: change.appointmentID, to: try await move(of: entry, to: newStart, client: client), now: now)
        case .confirmed:
            return try await database.settleBooking(clinicID: clinic, appointmentID: change.appointmentID, .confirmed(misPatientID: change.patientID), now: change.at)
        case .refused:
            let reason = change.reason ?? change.refusal.map(ReservationRefusal.sentence) ?? ReservationRefusal.sentence(.otherReasons)
            return try await database.settleBooking(clinicID: clinic, appointmentID: change.appointmentID, .refused(reason: reason, code: change.refusal?.rawValue), now: change.at)
        case .displaced:
            guard try await database.settleBooking(clinicID: clinic, appointmentID: change.appointmentID, .displaced(reason: change.reason), now: change.at) else { return false }
            if let entry = try await database.booking(clinicID: clinic, appointmentID: change.appointmentID) {
                let day = ProtocolTime.day(change.at, in: TimeZone(identifier: entry.timeZone) ?? .current)
                try? await database.addStatistic(StatisticCount(basis: .shown, day: day, clinic: clinic, metric: StatisticMetric.decision.rawValue, key: "displaced", value: 1))
            }
            return true
        }
    }

    /// Where the clinic moved a booking of the ledger: as the clinic's history tells it now (the
    /// doctor may have changed, a displaced booking is again what it was), or — without a card to
    /// ask by, or with the history out of reach — the new start with the booking's length.
    func move(of entry: LedgerEntry, to newStart: Date, client: MISClient) async throws -> LedgerMove {
        let zone = TimeZone(identifier: entry.timeZone) ?? .current
        if !entry.misPatientID.isEmpty, let appointmentID = entry.appointmentID,
            let appointment = try? await client.history(clinic: entry.clinicID, patient: entry.misPatientID).first(where: { $0.id == appointmentID }),
            appointment.status == .active || appointment.status == .reserved {
            return LedgerMove(appointment, zone: zone)
        }
        return LedgerMove(start: newStart, end: newStart.addingTimeInterval(entry.end.timeIntervalSince(entry.start)), day: BookingRules.day(newStart, zone))
    }

    /// A reschedule made elsewhere (another channel, the front desk) into a new appointment: the new
    /// one, as the clinic's history tells it, replaces `entry` in the ledger, so that the cabinet
    /// shows the time the patient now holds. A reschedule the registry made itself is already there.
    private func recordReschedule(of entry: LedgerEntry, to appointmentID: String, client: MISClient, by channel: MISChannel) async throws -> Bool {
        if try await database.booking(clinicID: entry.clinicID, appointmentID: appointmentID) != nil { return false }
        guard let appointment = try await client.history(clinic: entry.clinicID, patient: entry.misPatientID).first(where: { $0.id == appointmentID }),
            appointment.status == .active
        else { return false }
        let zone = TimeZone(identifier: entry.timeZone) ?? .current
        return try await database.recordReplacement(LedgerEntry(
            requestID: "feed-\(entry.clinicID)-\(appointmentID)", patientKey: entry.patientKey, clinicID: entry.clinicID, slotID: appointment.slotID,
            misPatientID: entry.misPatientID, appointmentID: appointment.id, ticket: appointment.ticket, clinicName: entry.clinicName,
            clinicAddress: entry.clinicAddress, clinicPhone: entry.clinicPhone, doctorID: appointment.doctorID, specialtyID: appointment.specialtyID, timeZone: entry.timeZone, federalCode: entry.federalCode,
            specialtyName: appointment.specialtyName, doctorName: appointment.doctorName, room: appointment.room, start: appointment.start, end: appointment.end,
            day: BookingRules.day(appointment.start, zone), status: .active, channel: channel.rawValue, createdAt: entry.createdAt, replaces: entry.requestID
        ))
    }
}
