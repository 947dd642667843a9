import Foundation
import Testing
@testable import Persistence

/// The waiting list and its offers, held against both backends.
@Suite("Waitlist store")
struct WaitlistStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    private func entry(_ id: String, patient: String) -> WaitlistEntry {
        WaitlistEntry(id: id, patientKey: patient, clinicID: "101", specialtyID: "113", specialtyName: "Хирург", doctorID: "D1", doctorName: "Иванова М. П.",
                      fromDay: "2026-11-23", toDay: "2026-11-25", partOfDay: .morning, createdAt: now.addingTimeInterval(Double(id.utf8.last ?? 0)))
    }

    private func offer(_ id: String, to entry: WaitlistEntry, slot: String = "S1") -> WaitlistOffer {
        WaitlistOffer(id: id, entryID: entry.id, patientKey: entry.patientKey, clinicID: "101", doctorID: "D1", slotID: slot, start: now.addingTimeInterval(86_400),
                      timeZone: "Europe/Moscow", doctorName: "Иванова М. П.", specialtyName: "Хирург", clinicName: "Поликлиника № 1", room: "214",
                      createdAt: now, expiresAt: now.addingTimeInterval(1_800))
    }

    @Test(arguments: StoreBackend.allCases) func theFirstToTakeAnOfferGetsItAndTheOthersAreTold(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let (a, b, c) = (entry("e1", patient: "pa"), entry("e2", patient: "pb"), entry("e3", patient: "pc"))
            for waiting in [a, b, c] {
                try await saveConfirmedContact(database, patientKey: waiting.patientKey, phone: nil, email: "\(waiting.patientKey)@example.org", consentAt: now)
                try await database.joinWaitlist(waiting, limit: 5)
            }
            #expect(try await database.waitingEntries(today: "2026-11-23", now: now).map(\.id) == ["e1", "e2", "e3"])
            #expect(try await database.waitlist(patientKey: "pa") == [a])
            try await database.makeOffers([offer("o1", to: a), offer("o2", to: b)], now: now)
            try await database.makeOffers([offer("o1-again", to: a)], now: now)
            #expect(Set(try await database.openOffers(now: now).map(\.id)) == ["o1", "o2"])
            #expect(try await database.offeredEntries(clinicID: "101", slotID: "S1") == ["e1", "e2"])
            #expect(try await database.messages(patientKey: "pa").map(\.kind) == [.offer])
            // Both confirm; the first to be written down takes it, the other is told.
            #expect(try await database.takeOffer(id: "o2", now: now))
            #expect(try await database.takeOffer(id: "o1", now: now) == false)
            #expect(try await database.offer(id: "o1")?.status == .gone)
            #expect(try await database.offer(id: "o2")?.status == .taken)
            #expect(try await database.waitlist(patientKey: "pb").first?.status == .booked)
            #expect(Set(try await database.messages(patientKey: "pa").map(\.kind)) == [.offer, .offerGone])
            #expect(try await database.messages(patientKey: "pa").first { $0.kind == .offerGone }?.requestID == "o1")
            // Leaving; an offer expiring; an entry past its last day.
            #expect(try await database.leaveWaitlist(id: "e3", patientKey: "pa", now: now) == false)
            #expect(try await database.leaveWaitlist(id: "e3", patientKey: "pc", now: now))
            try await database.makeOffers([offer("o3", to: a, slot: "S2")], now: now)
            #expect(try await database.openOffers(now: now.addingTimeInterval(1_801)).isEmpty)
            #expect(try await database.waitingEntries(today: "2026-11-23", now: now.addingTimeInterval(1_801)).map(\.id) == ["e1"])
            #expect(try await database.offer(id: "o3")?.status == .expired)
            #expect(try await database.waitingEntries(today: "2026-11-26", now: now.addingTimeInterval(1_801)).isEmpty)
            #expect(try await database.waitlist(patientKey: "pa").first?.status == .expired)
            // A time booked some other way closes its open offers.
            try await database.joinWaitlist(entry("e4", patient: "pa"), limit: 5)
            try await database.makeOffers([offer("o4", to: entry("e4", patient: "pa"), slot: "S3")], now: now)
            #expect(try await database.closeOffers(clinicID: "101", slotID: "S3", now: now) == 1)
            #expect(try await database.offer(id: "o4")?.status == .gone)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aPatientWaitsOnceForTheSameAndHoldsAtMostTheLimit(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await database.joinWaitlist(entry("d1", patient: "pd"), limit: 3)
            // The same clinic, specialty and doctor on overlapping days: refused, however many are sent at once
            let copies = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        var copy = entry("copy\(index)", patient: "pd")
                        copy = WaitlistEntry(id: copy.id, patientKey: "pd", clinicID: "101", specialtyID: "113", specialtyName: "Хирург", doctorID: "D1", doctorName: "Иванова М. П.",
                                             fromDay: "2026-11-24", toDay: "2026-11-30", partOfDay: nil, createdAt: now)
                        return (try? await database.joinWaitlist(copy, limit: 3)) != nil
                    }
                }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(copies == 0)
            // Other doctors or other days are separate entries, up to the limit
            let other = { (id: String, doctor: String?, from: String, to: String) in
                WaitlistEntry(id: id, patientKey: "pd", clinicID: "101", specialtyID: "113", specialtyName: "Хирург", doctorID: doctor, doctorName: nil,
                              fromDay: from, toDay: to, partOfDay: nil, createdAt: now)
            }
            try await database.joinWaitlist(other("d2", "D2", "2026-11-23", "2026-11-25"), limit: 3)
            try await database.joinWaitlist(other("d3", "D1", "2026-11-26", "2026-11-28"), limit: 3)
            await #expect(throws: WaitlistRefusal.full) { try await database.joinWaitlist(other("d4", nil, "2026-12-01", "2026-12-02"), limit: 3) }
            await #expect(throws: WaitlistRefusal.duplicate) { try await database.joinWaitlist(other("d5", "D2", "2026-11-25", "2026-11-27"), limit: 9) }
            #expect(try await database.waitlist(patientKey: "pd").count == 3)
        }
    }
}
