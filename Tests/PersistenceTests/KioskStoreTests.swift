import Foundation
import Testing
@testable import Persistence

/// Kiosks and the sessions made at them, held against both backends.
@Suite("Kiosk store")
struct KioskStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)
    let patient = IdentifiedPatient(key: "k1", displayName: "Анна К.", birthDate: "1980-05-05", cards: ["101": ClinicCard(patientID: "P1")])

    @Test(arguments: StoreBackend.allCases) func aKioskIsFoundByItsTokenHashAndRevokedOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let kiosk = KioskRecord(id: "kiosk-a", name: "Холл, 1 этаж", clinicID: "101", createdAt: now, createdBy: "account:1")
            try await database.createKiosk(kiosk, tokenHash: KioskRecord.tokenHash("secret-token"))
            #expect(try await database.kiosk(tokenHash: KioskRecord.tokenHash("secret-token")) == kiosk)
            #expect(try await database.kiosk(tokenHash: KioskRecord.tokenHash("other-token")) == nil)
            // The token itself is never stored.
            #expect(KioskRecord.tokenHash("secret-token") != "secret-token" && KioskRecord.tokenHash("secret-token").count == 64)
            await #expect(throws: KioskTokenTaken.self) {
                try await database.createKiosk(KioskRecord(id: "kiosk-b", name: "Второй", clinicID: "101", createdAt: now, createdBy: "account:1"), tokenHash: KioskRecord.tokenHash("secret-token"))
            }
            try await database.kioskStarted(id: "kiosk-a", now: now.addingTimeInterval(5))
            #expect(try await database.kiosk(id: "kiosk-a")?.startedAt == now.addingTimeInterval(5))
            #expect(try await database.revokeKiosk(id: "kiosk-a", now: now.addingTimeInterval(10)))
            #expect(try await database.revokeKiosk(id: "kiosk-a", now: now.addingTimeInterval(20)) == false)
            #expect(try await database.kiosk(id: "kiosk-a")?.revokedAt == now.addingTimeInterval(10))
            #expect(try await database.kiosks().map(\.id) == ["kiosk-a"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func aKioskKeepsTheNetworkItIsBoundTo(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let bound = KioskRecord(id: "kiosk-hall", name: "Холл", clinicID: "101", createdAt: now, createdBy: "account:1", network: "10.20.0.0/24")
            try await database.createKiosk(bound, tokenHash: "hall-hash")
            #expect(try await database.kiosk(tokenHash: "hall-hash")?.network == "10.20.0.0/24")
            #expect(try await database.kiosks().first { $0.id == "kiosk-hall" } == bound)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aKioskHoldsOneSessionAtATimeAndRevokingEndsIt(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await database.createKiosk(KioskRecord(id: "kiosk-a", name: "Холл", clinicID: "101", createdAt: now, createdBy: "account:1"), tokenHash: "h1")
            try await database.identify(session: "", as: "first", csrfToken: "t1", patient: patient, kiosk: "kiosk-a", now: now)
            #expect(try await database.session(id: "first", now: now, idleTimeout: 75)?.kioskID == "kiosk-a")
            // A browser's own session is no kiosk's.
            try await database.identify(session: "", as: "browser", csrfToken: "t2", patient: patient, now: now)
            #expect(try await database.session(id: "browser", now: now, idleTimeout: 900)?.kioskID == nil)
            // The next patient at the kiosk ends the previous one's session.
            try await database.identify(session: "", as: "second", csrfToken: "t3", patient: patient, kiosk: "kiosk-a", now: now)
            #expect(try await database.session(id: "first", now: now, idleTimeout: 75) == nil)
            #expect(try await database.session(id: "second", now: now, idleTimeout: 75) != nil)
            try await database.revokeKiosk(id: "kiosk-a", now: now)
            #expect(try await database.session(id: "second", now: now, idleTimeout: 75) == nil)
            #expect(try await database.session(id: "browser", now: now, idleTimeout: 900) != nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func lapsedKioskSessionsAreSweptAndBrowserSessionsAreLeft(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await database.identify(session: "", as: "at-kiosk", csrfToken: "t1", patient: patient, kiosk: "kiosk-a", now: now)
            try await database.identify(session: "", as: "browser", csrfToken: "t2", patient: patient, now: now)
            #expect(try await database.deleteExpiredKioskSessions(now: now.addingTimeInterval(60), idleTimeout: 75) == 0)
            #expect(try await database.deleteExpiredKioskSessions(now: now.addingTimeInterval(80), idleTimeout: 75) == 1)
            #expect(try await database.session(id: "at-kiosk", now: now, idleTimeout: 900) == nil)
            #expect(try await database.session(id: "browser", now: now.addingTimeInterval(80), idleTimeout: 900) != nil)
        }
    }
}
