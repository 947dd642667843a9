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
        if let done = ledger.first(where: { $0.requestID == requestID && $0.status == .active }) { return .booked(done) }
        if let earlier = ledger.first(where: { $0.requestID == requestID && $0.status == .pending }) {
            return .booked(try await resume(earlier, doctorID: doctor, now: now))
        }
        let chosen = try await resolve(clinic: clinic, doctor: doctor, slot: slot, day: day, now: now)
        var referral: String?
        if refusal(for: chosen, patient: patient, ledger: ledger, now: now)?.asksForReferral == true {
            guard let number = Self.referralNumber(typed) else { return .referralNeeded(chosen, number: nil, refusal: nil) }
            if let refused = try await referralRefusal(number, for: chosen, patient: patient) { return .referralNeeded(chosen, number: number, refusal: refused) }
            referral = number
        }
        return .booked(try await book(chosen, patient: patient, ledger: ledger, requestID: requestID, by: actor, referral: referral, now: now))
    }
}
