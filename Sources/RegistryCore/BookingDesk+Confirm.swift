import Booking
import Foundation
import Persistence

extension BookingDesk {
    /// What a check page says of `chosen` for `patient`: the refusal, if any, and whether to ask for
    /// a referral's number — when only a referral is missing, the other rules are still applied.
    public func check(_ chosen: ChosenSlot, patient: IdentifiedPatient, ledger: [LedgerEntry], now: Date) -> (refusal: Refusal?, asksReferral: Bool) {
        let plain = refusal(for: chosen, patient: patient, ledger: ledger, now: now)
        guard plain?.asksForReferral == true else { return (plain, false) }
        return (refusal(for: chosen, patient: patient, ledger: ledger, referral: true, now: now), true)
    }

    /// A referral's number as typed: spaces around it dropped, at most 32 characters; nil when empty.
    public static func referralNumber(_ typed: String?) -> String? {
        let number = (typed ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return number.isEmpty ? nil : String(number.prefix(32))
    }

    /// What confirming a check page came to.
    public enum Confirmation: Sendable {
        /// Booked now, or earlier under the same request id (a second touch, a resent form).
        case booked(LedgerEntry)
        /// The specialty needs a referral: none was typed (`refusal` nil), or the MIS refused the one
        /// typed (`number`). Nothing was booked; the check page asks again.
        case referralNeeded(ChosenSlot, number: String?, refusal: Refusal?)
    }

    /// Confirms the time of a check page under `requestID` for `patient` (whose entries `ledger` were
    /// just read), through `actor`'s channel: a request already booked is that booking; one whose
    /// answer was lost is asked again with the same id; otherwise the time is resolved, a referral
    /// checked when the specialty needs one, and the time booked — every channel's one path.
    public func confirm(clinic: String, doctor: String, slot: String, day: String? = nil, requestID: String, patient: IdentifiedPatient, ledger: [LedgerEntry],
                        referral typed: String?, by actor: BookingActor, now: Date) async throws(Outcome) -> Confirmation {
        if let done = ledger.first(where: { $0.requestID == requestID && $0.status.isBooked }) { return .booked(done) }
        if let earlier = ledger.first(where: { $0.requestID == requestID && $0.status == .pending }) {
            return .booked(try await resume(earlier, doctorID: doctor, now: now))
        }
        do {
            let chosen = try await resolve(clinic: clinic, doctor: doctor, slot: slot, day: day, now: now)
            var referral: String?
            if refusal(for: chosen, patient: patient, ledger: ledger, now: now)?.asksForReferral == true {
                guard let number = Self.referralNumber(typed) else { return .referralNeeded(chosen, number: nil, refusal: nil) }
                if let refused = try await referralRefusal(number, for: chosen, patient: patient) {
                    // A copy of this confirmation that used the referral a moment ago booked the time.
                    if let landed = try await landedCopy(requestID, patient: patient, doctorID: doctor, now: now) { return .booked(landed) }
                    return .referralNeeded(chosen, number: number, refusal: refused)
                }
                referral = number
            }
            return .booked(try await book(chosen, patient: patient, ledger: ledger, requestID: requestID, by: actor, referral: referral, now: now))
        } catch .refused(let refusal, let alternatives, let zone) {
            // Copies of one confirmation sent at once (a burst of resent forms) race each other: the
            // first books the time, the others find it gone — but it is theirs, so they land on its ticket.
            if let landed = try await landedCopy(requestID, patient: patient, doctorID: doctor, now: now) { return .booked(landed) }
            throw .refused(refusal, alternatives: alternatives, zone: zone)
        }
    }

    /// Confirms the move of `entry` to `slot` of `doctor` under `requestID` for `patient` (whose
    /// entries `ledger` were just read), through `actor`'s channel: a move already made under that
    /// id is that booking; one whose answer was lost is asked again with the same id; otherwise the
    /// time is resolved and the booking moved — every channel's one path.
    public func confirmMove(_ entry: LedgerEntry, doctor: String, slot: String, requestID: String, patient: IdentifiedPatient, ledger: [LedgerEntry],
                            by actor: BookingActor, now: Date) async throws(Outcome) -> LedgerEntry {
        if let done = ledger.first(where: { $0.requestID == requestID && $0.status.isBooked }) { return done }
        if let earlier = ledger.first(where: { $0.requestID == requestID && $0.status == .pending }) {
            return try await resume(earlier, doctorID: doctor, now: now)
        }
        let chosen = try await resolve(clinic: entry.clinicID, doctor: doctor, slot: slot, now: now)
        return try await move(entry, to: chosen, patient: patient, ledger: ledger, requestID: requestID, by: actor, now: now)
    }

    /// The booking another copy of the request `requestID` made for `patient` meanwhile, if any: an
    /// active one as it is, a pending one asked of the MIS again (the same request id cannot book twice).
    private func landedCopy(_ requestID: String, patient: IdentifiedPatient, doctorID: String, now: Date) async throws(Outcome) -> LedgerEntry? {
        let found: LedgerEntry?
        do {
            found = try await database.booking(requestID: requestID)
        } catch {
            throw .unavailable
        }
        guard let found, found.patientKey == patient.key else { return nil }
        switch found.status {
        case .active: return found
        case .pending: return try await resume(found, doctorID: doctorID, now: now)
        default: return nil
        }
    }
}
