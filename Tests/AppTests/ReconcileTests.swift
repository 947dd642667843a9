import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore
import Testing
@testable import App
@testable import Web

/// The ledger and the MIS never disagree silently: a booking whose answer was lost is settled later.
@Suite("Ledger reconciliation")
struct ReconcileTests {
    /// A live reference MIS (a small demo region) and the region of the registry reading it.
    private func withLiveMIS(rewrite: (@Sendable (String) -> String)? = nil, _ body: @escaping @Sendable (Region, ReferenceMIS) async throws -> Void) async throws {
        let misDatabase = try MISDatabase.inMemory()
        try DemoRegion(patients: 200).generate(into: misDatabase)
        let mis = ReferenceMIS(database: misDatabase)
        try mis.openSchedule(now: Date())
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "reconcile-secret"]))
        let app = Application(router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { misClient in
            let transport: any MISTransport = rewrite.map { RewritingTransport(rewrite: $0) } ?? testTransport
            let region = Region(settings: [MISEndpoint(id: "reference", url: "http://127.0.0.1:\(misClient.port!)/serverais", keyID: "registry", secret: "reconcile-secret")], transport: transport, logger: testLogger)
            try await body(region, mis)
        }
    }

    @Test func pendingEntriesAreSettledFromTheMISHistory() async throws {
        try await withLiveMIS { region, mis in
            let ledger = try AppDatabase.inMemory()
            let slots = try DemoGuide(mis).freeTimes(clinic: "101", specialty: "113", after: Date().addingTimeInterval(4 * 3_600), count: 2).map(\.slot)
            let patient = "P100000"
            // The MIS booked the first slot, but the registry crashed before recording the answer.
            let made = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[0], patientID: patient, channel: .internet, requestID: "lost-answer"), now: Date())
            let old = Date().addingTimeInterval(-3_600)
            // Two attempts on two days: two of one specialty on one day the ledger itself refuses (rule 2).
            for (requestID, slot, day) in [("lost-answer", slots[0], "2026-11-24"), ("never-arrived", slots[1], "2026-11-25")] {
                _ = try await ledger.beginBooking(LedgerEntry(
                    requestID: requestID, patientKey: "k", clinicID: "101", slotID: slot, misPatientID: patient, clinicName: "Поликлиника № 1",
                    clinicAddress: "ул. Ленина, 12", clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92",
                    specialtyName: "Хирург", doctorName: "—", room: "—", start: Date().addingTimeInterval(86_400), end: Date().addingTimeInterval(87_000),
                    day: day, status: .pending, channel: "internet", createdAt: old
                ))
            }
            await LedgerReconciler(region: region, database: ledger, logger: testLogger).reconcileAll(now: Date())
            let entries = Dictionary(uniqueKeysWithValues: try ledger.bookings(patientKey: "k").map { ($0.requestID, $0) })
            #expect(entries["lost-answer"]?.status == .active)
            #expect(entries["lost-answer"]?.ticket == made.ticket)
            #expect(entries["never-arrived"]?.status == .failed)
        }
    }

    @Test func anUnreachableMISLeavesEntriesPendingForLater() async throws {
        let region = Region(settings: [MISEndpoint(id: "down", url: "http://127.0.0.1:9/serverais", keyID: "k", secret: "s")], transport: testTransport, logger: testLogger)
        let ledger = try AppDatabase.inMemory()
        _ = try await ledger.beginBooking(LedgerEntry(
            requestID: "r", patientKey: "k", clinicID: "101", slotID: "1", misPatientID: "P", clinicName: "x", clinicAddress: "x", clinicPhone: "x",
            timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "x", doctorName: "x", room: "x", start: Date(), end: Date(), day: "2026-11-24",
            status: .pending, channel: "internet", createdAt: Date().addingTimeInterval(-3_600)
        ))
        await LedgerReconciler(region: region, database: ledger, logger: testLogger).reconcileAll(now: Date())
        #expect(try ledger.bookings(patientKey: "k").first?.status == .pending)
    }

    @Test func anAttemptWhoseClinicAnswersUnreadablyIsGivenUpAfterAnHourNotAskedForEver() async throws {
        // Given a gateway that breaks the identifiers of the patient's history (a space in every appointment's id)
        let breakHistory: @Sendable (String) -> String = { answer in
            answer.contains("operation=\"GetPatientHistory\"") ? answer.replacingOccurrences(of: "<appointment id=\"", with: "<appointment id=\"x ") : answer
        }
        try await withLiveMIS(rewrite: breakHistory) { region, mis in
            let ledger = try AppDatabase.inMemory()
            let slot = try #require(try DemoGuide(mis).freeTimes(clinic: "101", specialty: "113", after: Date().addingTimeInterval(4 * 3_600), count: 1).map(\.slot).first)
            let patient = "P100000"
            _ = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slot, patientID: patient, channel: .internet, requestID: "elsewhere"), now: Date())
            // Two attempts on two days: two of one specialty on one day the ledger itself refuses (rule 2).
            for (requestID, age, day) in [("two-hours", 7_200.0, "2026-11-24"), ("ten-minutes", 600.0, "2026-11-25")] {
                _ = try await ledger.beginBooking(LedgerEntry(
                    requestID: requestID, patientKey: "k", clinicID: "101", slotID: "1", misPatientID: patient, clinicName: "Поликлиника № 1",
                    clinicAddress: "ул. Ленина, 12", clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92",
                    specialtyName: "Хирург", doctorName: "—", room: "—", start: Date().addingTimeInterval(86_400), end: Date().addingTimeInterval(87_000),
                    day: day, status: .pending, channel: "internet", createdAt: Date().addingTimeInterval(-age)
                ))
            }
            // When reconciliation runs
            await LedgerReconciler(region: region, database: ledger, logger: testLogger).reconcileAll(now: Date())
            // Then the hour-old attempt is settled as failed; the recent one waits for a readable answer
            let entries = Dictionary(uniqueKeysWithValues: try ledger.bookings(patientKey: "k").map { ($0.requestID, $0.status) })
            #expect(entries == ["two-hours": .failed, "ten-minutes": .pending])
        }
    }

    @Test func aMoveWhoseAnswerWasLostEndsWithExactlyOneBookingEitherWay() async throws {
        try await withLiveMIS { region, mis in
            let ledger = try AppDatabase.inMemory()
            let slots = try DemoGuide(mis).freeTimes(clinic: "101", specialty: "113", after: Date().addingTimeInterval(4 * 3_600), count: 3).map(\.slot)
            let patient = "P100000", old = Date().addingTimeInterval(-3_600)
            func entry(_ requestID: String, slot: String, status: LedgerEntry.Status, appointment: String? = nil, replaces: String? = nil) -> LedgerEntry {
                LedgerEntry(
                    requestID: requestID, patientKey: "k", clinicID: "101", slotID: slot, misPatientID: patient, appointmentID: appointment, clinicName: "Поликлиника № 1",
                    clinicAddress: "ул. Ленина, 12", clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                    doctorName: "—", room: "—", start: Date().addingTimeInterval(86_400), end: Date().addingTimeInterval(87_000), day: "2026-11-24",
                    status: status, channel: "internet", createdAt: old, replaces: replaces
                )
            }
            // Booked, then a move whose answer was lost after the MIS made it.
            let first = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[0], patientID: patient, channel: .internet, requestID: "first"), now: Date())
            _ = try await ledger.recordReplacement(entry("first", slot: slots[0], status: .active, appointment: first.id))
            _ = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[1], patientID: patient, channel: .internet, requestID: "move-made", previousAppointmentID: first.id), now: Date())
            _ = try await ledger.beginBooking(entry("move-made", slot: slots[1], status: .pending, replaces: "first"))
            await LedgerReconciler(region: region, database: ledger, logger: testLogger).reconcileAll(now: Date())
            var entries = Dictionary(uniqueKeysWithValues: try ledger.bookings(patientKey: "k").map { ($0.requestID, $0) })
            #expect(entries["move-made"]?.status == .active)
            #expect(entries["first"]?.status == .moved && entries["first"]?.movedTo == "move-made")
            // A second move that never reached the MIS: it fails, and the booking it meant to move stays.
            _ = try await ledger.beginBooking(entry("move-lost", slot: slots[2], status: .pending, replaces: "move-made"))
            await LedgerReconciler(region: region, database: ledger, logger: testLogger).reconcileAll(now: Date())
            entries = Dictionary(uniqueKeysWithValues: try ledger.bookings(patientKey: "k").map { ($0.requestID, $0) })
            #expect(entries["move-lost"]?.status == .failed)
            #expect(entries["move-made"]?.status == .active)
            #expect(try mis.history(clinic: "101", patient: patient).filter { $0.status == .active }.map(\.slotID) == [slots[1]])
        }
    }
}
