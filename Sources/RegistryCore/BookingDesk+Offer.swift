import Booking
import Foundation
import MISBridge
import Persistence

extension BookingDesk {
    /// What accepting a waiting-list offer came to.
    public enum OfferAcceptance: Sendable {
        /// Booked now, or earlier under the same request id; the offer is taken.
        case booked(LedgerEntry)
        /// The offer is not open any more (taken, expired, or its time gone to someone faster — then
        /// every offer of that time is closed and its patients told): nothing was booked.
        case closed(WaitlistOffer)
        /// The specialty needs a referral, asked on the time's own check page.
        case referralNeeded
    }

    /// Books the time `offer` holds for `patient` under `requestID` through `actor`'s channel, the
    /// way a check page's confirmation books (`confirm`); a time someone else took first closes the
    /// offers of that time.
    public func accept(_ offer: WaitlistOffer, requestID: String, patient: IdentifiedPatient, ledger: [LedgerEntry], by actor: BookingActor, now: Date)
        async throws(Outcome) -> OfferAcceptance {
        if let done = ledger.first(where: { $0.requestID == requestID && $0.status.isBooked }) { return .booked(done) }
        guard offer.status == .open, offer.expiresAt > now else { return .closed(offer) }
        do {
            switch try await confirm(clinic: offer.clinicID, doctor: offer.doctorID, slot: offer.slotID, requestID: requestID, patient: patient, ledger: ledger,
                                     referral: nil, by: actor, now: now) {
            case .booked(let entry):
                try await storeWrite { try await database.takeOffer(id: offer.id, now: now) }
                let day = ProtocolTime.day(now, in: TimeZone(identifier: offer.timeZone) ?? .current)
                try? await database.addStatistic(StatisticCount(basis: .shown, day: day, clinic: offer.clinicID, metric: StatisticMetric.waitlist.rawValue, key: "taken", value: 1))
                return .booked(entry)
            case .referralNeeded:
                return .referralNeeded
            }
        } catch .refused(let refusal, _, _) where refusal.code == .slotTaken {
            try await storeWrite { try await database.closeOffers(clinicID: offer.clinicID, slotID: offer.slotID, now: now) }
            var closed = offer
            closed.status = .gone
            return .closed(closed)
        }
    }

    /// A write of the store whose failure ends the request as the clinic's would: try again shortly.
    private func storeWrite(_ write: () async throws -> some Sendable) async throws(Outcome) {
        do {
            _ = try await write()
        } catch {
            throw .unavailable
        }
    }
}
