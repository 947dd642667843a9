import Foundation
import Testing
@testable import Persistence

@Suite("Registry database")
struct AppDatabaseTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    @Test func sessionsExpireAfterInactivityAndRotateOnIdentification() throws {
        let database = try AppDatabase.inMemory()
        try database.createSession(id: "s1", csrfToken: "t1", now: now)
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(600), idleTimeout: 900)?.csrfToken == "t1")
        // Seen at +600, so still alive at +1400 (800 s idle), gone at +2600.
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(1_400), idleTimeout: 900) != nil)
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(2_400), idleTimeout: 900) == nil)

        try database.createSession(id: "anonymous", csrfToken: "t2", now: now)
        let patient = IdentifiedPatient(key: AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-05"), displayName: "Иван П.", birthDate: "1980-05-05", cards: ["101": ClinicCard(patientID: "P1", attachedClinicID: "101", attachedDistrict: "2", dispensarySpecialtyIDs: ["115"])])
        try database.identify(session: "anonymous", as: "identified", csrfToken: "t3", patient: patient, now: now)
        #expect(try database.session(id: "anonymous", now: now, idleTimeout: 900) == nil)
        let identified = try #require(try database.session(id: "identified", now: now, idleTimeout: 900))
        #expect(identified.patient == patient)
        #expect(identified.csrfToken == "t3")
    }

    @Test func activityIsWrittenDownEveryFewSecondsOrWhenAskedTo() throws {
        let database = try AppDatabase.inMemory()
        try database.createSession(id: "s1", csrfToken: "t1", now: now)
        // 900 s of idle time: activity is written down at most every 15 s.
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(10), idleTimeout: 900)?.lastSeen == now)
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(20), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(20))
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(25), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(20))
        try database.touchSession(id: "s1", now: now.addingTimeInterval(26))
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(27), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(26))
        // Never backwards.
        try database.touchSession(id: "s1", now: now)
        #expect(try database.session(id: "s1", now: now.addingTimeInterval(28), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(26))
    }

    @Test func thePolicyNumberIsNeverStored() throws {
        let key = AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-05")
        #expect(!key.contains("7700000000000008"))
        #expect(key.count == 64)
        #expect(key == AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-05"))
        #expect(key != AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-06"))
    }

    @Test func theLedgerIsIdempotentAndFollowsTheBooking() throws {
        let database = try AppDatabase.inMemory()
        let entry = LedgerEntry(requestID: "r1", patientKey: "k", clinicID: "101", slotID: "S1", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_600), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now)
        _ = try database.beginBooking(entry)
        _ = try database.beginBooking(entry)
        #expect(try database.bookings(patientKey: "k").count == 1)
        #expect(try database.pendingBookings(olderThan: now.addingTimeInterval(60)).map(\.requestID) == ["r1"])
        try database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: "101-000001")
        let active = try #require(try database.bookings(patientKey: "k").first)
        #expect(active.status == .active && active.ticket == "101-000001")
        #expect(try database.pendingBookings(olderThan: now.addingTimeInterval(60)).isEmpty)
        try database.cancelBooking(clinicID: "101", appointmentID: "A1", by: "internet", now: now)
        #expect(try database.bookings(patientKey: "k").first?.status == .cancelled)
        // A refused attempt is marked failed and never counts as held.
        let refused = LedgerEntry(requestID: "r2", patientKey: "k", clinicID: "101", slotID: "S1", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                  doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(90_000), end: now.addingTimeInterval(91_200), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now)
        _ = try database.beginBooking(refused)
        try database.failBooking(requestID: "r2")
        #expect(try database.bookings(patientKey: "k").map(\.status).sorted { $0.rawValue < $1.rawValue } == [.cancelled, .failed])
    }

    @Test func failedAttemptsAreCountedInASlidingWindow() throws {
        let database = try AppDatabase.inMemory()
        // Given five failures under one policy key and one under an address
        for second in 0..<5 { try database.recordFailedAttempt(keys: ["policy:k"], now: now.addingTimeInterval(Double(second))) }
        try database.recordFailedAttempt(keys: ["address:127.0.0.1"], now: now)
        // Then reading counts nothing itself, and old failures drop out of the window
        #expect(try database.failedAttempts(keys: ["policy:k", "address:127.0.0.1", "policy:other"], now: now.addingTimeInterval(10), window: 600) == [5, 1, 0])
        #expect(try database.failedAttempts(keys: ["policy:k"], now: now.addingTimeInterval(10), window: 600) == [5])
        #expect(try database.failedAttempts(keys: ["policy:k"], now: now.addingTimeInterval(603), window: 600) == [2])
        #expect(try database.deleteOldAttempts(now: now.addingTimeInterval(700), window: 600) == 6)
    }

    @Test func theServerSecretIsMadeOnceAndKept() throws {
        let database = try AppDatabase.inMemory()
        let first = try database.secret(named: "csrf")
        #expect(try database.secret(named: "csrf") == first)
        #expect(try database.secret(named: "other") != first)
    }

    @Test func contactsKeepTheConsentTime() throws {
        let database = try AppDatabase.inMemory()
        try database.saveContact(patientKey: "k", phone: "+79161234567", email: nil, consentAt: now)
        let contact = try #require(try database.contact(patientKey: "k"))
        #expect(contact.phone == "+79161234567" && contact.email == nil && contact.consentAt == now)
    }

    @Test func aFileDatabaseSurvivesReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)/registry.sqlite").path
        try AppDatabase.open(path: path).createSession(id: "s", csrfToken: "t", now: now)
        #expect(try AppDatabase.open(path: path).session(id: "s", now: now, idleTimeout: 60) != nil)
    }
}
