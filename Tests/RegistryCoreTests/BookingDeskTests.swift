import Booking
import Foundation
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing

/// The booking desk through the protocol (an in-memory gateway): rules, ledger, idempotency, moving.
@Suite("Booking desk")
struct BookingDeskTests {
    /// The first two bookable times of the first surgeon of clinic 101, on the same day.
    private func surgeonTimes(_ region: Region, rules: BookingRules) async throws -> (doctor: String, schedule: DoctorSchedule) {
        guard let (_, client) = try await region.clinic("101") else { throw MISFailure(.unknownClinic, detail: "101") }
        let surgeons = try await client.doctors(clinic: "101", specialty: "113")
        for doctor in surgeons {
            if let schedule = try await DoctorSchedule.find(clinic: "101", doctor: doctor.id, in: region, rules: rules, now: Date()),
                let day = schedule.days.first, day.times.count >= 2 {
                return (doctor.id, schedule)
            }
        }
        throw MISFailure(.noReception, message: "no surgeon with two free times")
    }

    /// The first bookable time of the first surgeon of clinic 101 with two that day, resolved at the desk.
    private func firstSurgeonTime(_ desk: BookingDesk, now: Date) async throws -> ChosenSlot {
        let (doctor, schedule) = try await surgeonTimes(desk.region, rules: desk.rules)
        return try await desk.resolve(clinic: "101", doctor: doctor, slot: schedule.days[0].times[0].id, now: now)
    }

    @Test func aBookingIsMadeOnceMovedInOneStepAndCancelled() async throws {
        try await withCore { region, mis, database in
            let desk = BookingDesk(region: region, database: database)
            let patient = try await identifiedAdult(region, mis, database)
            let (doctor, schedule) = try await surgeonTimes(region, rules: desk.rules)
            let first = schedule.days[0].times[0], second = schedule.days[0].times[1]
            let now = Date()
            let chosen = try await desk.resolve(clinic: "101", doctor: doctor, slot: first.id, now: now, fresh: true)
            let booked = try await desk.book(chosen, patient: patient, ledger: [], requestID: "core-first-booking", by: .patient, now: now)
            #expect(booked.status == .active && booked.appointmentID != nil && booked.doctorID == doctor)
            // The same request again: the same booking, no second appointment.
            let again = try await desk.book(chosen, patient: patient, ledger: try database.bookings(patientKey: patient.key), requestID: "core-first-booking", by: .patient, now: now)
            #expect(again.appointmentID == booked.appointmentID)
            // A second surgeon the same day is refused by the rules before the MIS is asked.
            let other = try await desk.resolve(clinic: "101", doctor: doctor, slot: second.id, now: now)
            await #expect(throws: BookingDesk.Outcome.self) {
                _ = try await desk.book(other, patient: patient, ledger: try database.bookings(patientKey: patient.key), requestID: "core-second-booking", by: .patient, now: now)
            }
            #expect(desk.refusal(for: other, patient: patient, ledger: try database.bookings(patientKey: patient.key), now: now) == Refusal(.alreadyBookedThatDay))
            // …but moving the booking there is allowed: the booking being moved does not count.
            let moved = try await desk.move(booked, to: other, patient: patient, ledger: try database.bookings(patientKey: patient.key), requestID: "core-move", by: .patient, now: now)
            #expect(moved.status == .active && moved.slotID == second.id && moved.replaces == booked.requestID)
            let ledger = Dictionary(uniqueKeysWithValues: try database.bookings(patientKey: patient.key).map { ($0.requestID, $0) })
            #expect(ledger["core-first-booking"]?.status == .moved && ledger["core-first-booking"]?.movedTo == "core-move")
            let patientID = try #require(patient.clinicPatients["101"])
            #expect(try mis.history(clinic: "101", patient: patientID).filter { $0.status == .active }.map(\.slotID) == [second.id])
            // The bridge offers the freed time again at once, and not the one just taken.
            let after = try #require(try await DoctorSchedule.find(clinic: "101", doctor: doctor, in: region, rules: desk.rules, now: Date()))
            let offered = after.days.flatMap(\.times).map(\.id)
            #expect(offered.contains(first.id) && !offered.contains(second.id))
            try await desk.cancel(moved, reason: "не смогу", by: .patient, now: Date())
            #expect(try database.bookings(patientKey: patient.key).first { $0.requestID == "core-move" }?.status == .cancelled)
            #expect(try mis.history(clinic: "101", patient: patientID).allSatisfy { $0.status == .cancelled })
        }
    }

    @Test func theActorDecidesTheChannelAndIsKeptWithTheBookingAndTheCancellation() async throws {
        try await withCore { region, mis, database in
            let desk = BookingDesk(region: region, database: database)
            let patient = try await identifiedAdult(region, mis, database)
            let now = Date()
            let chosen = try await firstSurgeonTime(desk, now: now)
            // Booked at a lobby kiosk: the MIS records the kiosk channel, the ledger the kiosk.
            let booked = try await desk.book(chosen, patient: patient, ledger: [], requestID: "core-kiosk-booking", by: .kiosk(id: "K-101-1"), now: now)
            let patientID = try #require(patient.clinicPatients["101"])
            #expect(try mis.history(clinic: "101", patient: patientID).first { $0.id == booked.appointmentID }?.channel == .kiosk)
            let kept = try #require(try database.bookings(patientKey: patient.key).first)
            #expect(kept.channel == "kiosk" && kept.actor == "kiosk:K-101-1" && BookingActor(ledgerValue: kept.actor ?? "") == .kiosk(id: "K-101-1"))
            // Cancelled by a call-centre operator for the caller.
            try await desk.cancel(kept, reason: "попросил по телефону", by: .operator(account: "ivanova"), now: Date())
            let cancelled = try #require(try database.bookings(patientKey: patient.key).first)
            #expect(cancelled.status == .cancelled && cancelled.cancelledBy == "call-centre" && cancelled.cancelledActor == "operator:ivanova")
            #expect(try mis.history(clinic: "101", patient: patientID).first { $0.id == booked.appointmentID }?.cancelledBy == .callCentre)
        }
    }

    @Test func anAttemptAnotherNodeBeganIsSeenByTheStoreEvenWhenThisNodesLedgerMissedIt() async throws {
        try await withCore { region, mis, database in
            let desk = BookingDesk(region: region, database: database)
            let patient = try await identifiedAdult(region, mis, database)
            let now = Date()
            let (doctor, schedule) = try await surgeonTimes(region, rules: desk.rules)
            let first = try await desk.resolve(clinic: "101", doctor: doctor, slot: schedule.days[0].times[0].id, now: now)
            let second = try await desk.resolve(clinic: "101", doctor: doctor, slot: schedule.days[0].times[1].id, now: now)
            // Another node booked a surgeon's time for this patient that day a moment ago; this node read the ledger before.
            _ = try await desk.book(first, patient: patient, ledger: [], requestID: "other-node-attempt", by: .patient, now: now)
            let staleLedger: [LedgerEntry] = []
            do throws(BookingDesk.Outcome) {
                _ = try await desk.book(second, patient: patient, ledger: staleLedger, requestID: "this-node-attempt", by: .patient, now: now)
                Issue.record("a second surgeon's time that day was booked")
            } catch {
                guard case .refused(let refusal, _, _) = error else { Issue.record("refused otherwise: \(error)"); return }
                #expect(refusal == Refusal(.alreadyBookedThatDay))
            }
            #expect(try database.bookings(patientKey: patient.key).map(\.requestID) == ["other-node-attempt"])
        }
    }

    @Test func aCopyOfAConfirmationThatFindsItsTimeGoneLandsOnTheBookingItsTwinMade() async throws {
        try await withCore { region, mis, database in
            let desk = BookingDesk(region: region, database: database)
            let patient = try await identifiedAdult(region, mis, database)
            let (doctor, schedule) = try await surgeonTimes(region, rules: desk.rules)
            let slot = schedule.days[0].times[0].id
            // Given two copies of one confirmation that both read the patient's ledger before either booked
            let stale = try database.bookings(patientKey: patient.key)
            let now = Date()
            guard case .booked(let first) = try await desk.confirm(clinic: "101", doctor: doctor, slot: slot, requestID: "core-burst", patient: patient, ledger: stale,
                                                                   referral: nil, by: .patient, now: now) else { Issue.record("not booked"); return }
            // When the second goes on after the first has booked (its time is no longer among the free ones)
            let second = try await desk.confirm(clinic: "101", doctor: doctor, slot: slot, requestID: "core-burst", patient: patient, ledger: stale,
                                                referral: nil, by: .patient, now: now)
            // Then it is the same booking, not «taken by another patient»
            guard case .booked(let landed) = second else { Issue.record("\(second)"); return }
            #expect(landed.requestID == first.requestID && landed.appointmentID == first.appointmentID)
            // …while another request for that time is refused as taken
            await #expect(throws: BookingDesk.Outcome.self) {
                _ = try await desk.confirm(clinic: "101", doctor: doctor, slot: slot, requestID: "core-burst-other", patient: patient, ledger: stale,
                                           referral: nil, by: .patient, now: now)
            }
        }
    }

    @Test func aMoveToAnotherSpecialtyOrAPastBookingIsRefused() async throws {
        try await withCore { region, mis, database in
            let desk = BookingDesk(region: region, database: database)
            let patient = try await identifiedAdult(region, mis, database)
            let now = Date()
            let chosen = try await firstSurgeonTime(desk, now: now)
            let booked = try await desk.book(chosen, patient: patient, ledger: [], requestID: "core-booking-to-keep", by: .patient, now: now)
            guard let (_, client) = try await region.clinic("101") else { return }
            let dentist = try #require(try await client.doctors(clinic: "101", specialty: "112").first)
            let dentistDay = try #require(try await DoctorSchedule.find(clinic: "101", doctor: dentist.id, in: region, rules: desk.rules, now: now)?.days.first)
            let elsewhere = try await desk.resolve(clinic: "101", doctor: dentist.id, slot: dentistDay.times[0].id, now: now)
            let ledger = try database.bookings(patientKey: patient.key)
            do throws(BookingDesk.Outcome) {
                _ = try await desk.move(booked, to: elsewhere, patient: patient, ledger: ledger, requestID: "core-wrong-move", by: .patient, now: now)
                Issue.record("a move to another specialty was made")
            } catch {
                guard case .refused(let refusal, _, _) = error else { Issue.record("refused otherwise: \(error)"); return }
                #expect(refusal == Refusal(.moveElsewhere))
            }
            // Once its time has passed, a booking moves no more.
            #expect(!BookingDesk.isMovable(booked, now: booked.start.addingTimeInterval(60)))
            #expect(try database.bookings(patientKey: patient.key).map(\.requestID) == ["core-booking-to-keep"])
        }
    }
}

/// How the ledger keeps who acted.
@Suite("Booking actor")
struct BookingActorTests {
    @Test func everyActorIsKeptAndReadBackAndUnknownValuesAreNotGuessed() {
        for actor in [BookingActor.patient, .kiosk(id: "K1"), .operator(account: "petrova")] {
            #expect(BookingActor(ledgerValue: actor.ledgerValue) == actor)
        }
        #expect(BookingActor.patient.channel == .internet && BookingActor.kiosk(id: "K1").channel == .kiosk && BookingActor.operator(account: "a").channel == .callCentre)
        for unknown in ["", "kiosk:", "operator:", "clinic", "Patient"] { #expect(BookingActor(ledgerValue: unknown) == nil) }
    }
}
