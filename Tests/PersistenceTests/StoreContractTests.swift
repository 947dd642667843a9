import Foundation
import Logging
import PostgresNIO
import Testing
@testable import Persistence

/// The store's contract, held against both backends: SQLite (in memory) and PostgreSQL (a fresh
/// schema of the server the test command starts, named by `REGISTRATURA_TEST_POSTGRES_URL`).
@Suite("Store contract")
struct StoreContractTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    @Test(arguments: StoreBackend.allCases) func sessionsExpireAfterInactivityAndRotateOnIdentification(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await database.createSession(id: "s1", csrfToken: "t1", now: now)
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(600), idleTimeout: 900)?.csrfToken == "t1")
            // Seen at +600, so still alive at +1400 (800 s idle), gone at +2600.
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(1_400), idleTimeout: 900) != nil)
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(2_400), idleTimeout: 900) == nil)

            try await database.createSession(id: "anonymous", csrfToken: "t2", now: now)
            let patient = IdentifiedPatient(key: AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-05"), displayName: "Иван П.", birthDate: "1980-05-05", cards: ["101": ClinicCard(patientID: "P1", attachedClinicID: "101", attachedDistrict: "2", dispensarySpecialtyIDs: ["115"])])
            try await database.identify(session: "anonymous", as: "identified", csrfToken: "t3", patient: patient, now: now)
            #expect(try await database.session(id: "anonymous", now: now, idleTimeout: 900) == nil)
            let identified = try #require(try await database.session(id: "identified", now: now, idleTimeout: 900))
            #expect(identified.patient == patient)
            #expect(identified.csrfToken == "t3")
        }
    }

    @Test(arguments: StoreBackend.allCases) func aSessionReadWithItsLedgerCarriesThePatientsEntriesLatestFirst(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let patient = IdentifiedPatient(key: "k", displayName: "Иван П.", birthDate: "1980-05-05", cards: ["101": ClinicCard(patientID: "P1")])
            try await database.createSession(id: "visitor", csrfToken: "t1", now: now)
            try await database.identify(session: "visitor", as: "s1", csrfToken: "t2", patient: patient, now: now)
            // No entries yet: an empty ledger, not a missing one; without asking, none at all.
            #expect(try await database.session(id: "s1", now: now, idleTimeout: 900, withLedger: true)?.ledger == [])
            #expect(try await database.session(id: "s1", now: now, idleTimeout: 900)?.ledger == nil)
            func entry(_ id: String, patientKey: String, hours: Double, day: String, code: String) -> LedgerEntry {
                LedgerEntry(requestID: id, patientKey: patientKey, clinicID: "101", slotID: "S-" + id, misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                            clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: code, specialtyName: "Хирург", doctorName: "Иванова М. П.", room: "214",
                            start: now.addingTimeInterval(hours * 3_600), end: now.addingTimeInterval(hours * 3_600 + 1_200), day: day, status: .pending, channel: "internet", createdAt: now)
            }
            _ = try await database.beginBooking(entry("early", patientKey: "k", hours: 20, day: "2026-11-25", code: "92"))
            _ = try await database.beginBooking(entry("late", patientKey: "k", hours: 50, day: "2026-11-26", code: "92"))
            try await database.confirmBooking(requestID: "late", appointmentID: "A2", ticket: "7", now: now)
            _ = try await database.beginBooking(entry("someone-else", patientKey: "other", hours: 30, day: "2026-11-25", code: "92"))
            let read = try #require(try await database.session(id: "s1", now: now, idleTimeout: 900, withLedger: true))
            #expect(read.patient == patient && read.csrfToken == "t2")
            #expect(read.ledger?.map(\.requestID) == ["late", "early"])
            #expect(read.ledger == (try await database.bookings(patientKey: "k")))
            #expect(read.ledger?.first?.status == .active && read.ledger?.first?.ticket == "7")
            // A visitor's session (no patient) has no ledger to bring.
            try await database.createSession(id: "v2", csrfToken: "t3", now: now)
            #expect(try await database.session(id: "v2", now: now, idleTimeout: 900, withLedger: true)?.ledger == nil)
            #expect(try await database.session(id: "unknown", now: now, idleTimeout: 900, withLedger: true) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases) func activityIsWrittenDownEveryFewSecondsOrWhenAskedTo(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await database.createSession(id: "s1", csrfToken: "t1", now: now)
            // 900 s of idle time: activity is written down at most every 15 s.
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(10), idleTimeout: 900)?.lastSeen == now)
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(20), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(20))
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(25), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(20))
            try await database.touchSession(id: "s1", now: now.addingTimeInterval(26))
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(27), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(26))
            // Never backwards.
            try await database.touchSession(id: "s1", now: now)
            #expect(try await database.session(id: "s1", now: now.addingTimeInterval(28), idleTimeout: 900)?.lastSeen == now.addingTimeInterval(26))
        }
    }

    @Test(arguments: StoreBackend.allCases) func theLedgerIsIdempotentAndFollowsTheBooking(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let entry = LedgerEntry(requestID: "r1", patientKey: "k", clinicID: "101", slotID: "S1", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                    clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                    doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_600), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now)
            _ = try await database.beginBooking(entry)
            _ = try await database.beginBooking(entry)
            #expect(try await database.bookings(patientKey: "k").count == 1)
            #expect(try await database.pendingBookings(olderThan: now.addingTimeInterval(60)).map(\.requestID) == ["r1"])
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: "101-000001", now: now)
            let active = try #require(try await database.bookings(patientKey: "k").first)
            #expect(active.status == .active && active.ticket == "101-000001")
            #expect(try await database.pendingBookings(olderThan: now.addingTimeInterval(60)).isEmpty)
            try await database.cancelBooking(clinicID: "101", appointmentID: "A1", by: "internet", actor: nil, reason: nil, now: now)
            #expect(try await database.bookings(patientKey: "k").first?.status == .cancelled)
            // A refused attempt is marked failed and never counts as held.
            let refused = LedgerEntry(requestID: "r2", patientKey: "k", clinicID: "101", slotID: "S1", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                    clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                      doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(90_000), end: now.addingTimeInterval(91_200), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now)
            _ = try await database.beginBooking(refused)
            try await database.failBooking(requestID: "r2")
            #expect(try await database.bookings(patientKey: "k").map(\.status).sorted { $0.rawValue < $1.rawValue } == [.cancelled, .failed])
        }
    }

    @Test(arguments: StoreBackend.allCases) func failedAttemptsAreCountedInASlidingWindow(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            // Given five failures under one policy key and one under an address
            for second in 0..<5 { try await database.recordFailedAttempt(keys: ["policy:k"], now: now.addingTimeInterval(Double(second))) }
            try await database.recordFailedAttempt(keys: ["address:127.0.0.1"], now: now)
            // Then reading counts nothing itself, and old failures drop out of the window
            #expect(try await database.failedAttempts(keys: ["policy:k", "address:127.0.0.1", "policy:other"], now: now.addingTimeInterval(10), window: 600) == [5, 1, 0])
            #expect(try await database.failedAttempts(keys: ["policy:k"], now: now.addingTimeInterval(10), window: 600) == [5])
            #expect(try await database.failedAttempts(keys: ["policy:k"], now: now.addingTimeInterval(603), window: 600) == [2])
            #expect(try await database.deleteOldAttempts(now: now.addingTimeInterval(700), window: 600) == 6)
        }
    }

    @Test(arguments: StoreBackend.allCases) func theServerSecretIsMadeOnceAndKept(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let first = try await database.secret(named: "csrf")
            #expect(try await database.secret(named: "csrf") == first)
            #expect(try await database.secret(named: "other") != first)
        }
    }

    @Test(arguments: StoreBackend.allCases) func contactsKeepTheConsentTime(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await saveConfirmedContact(database, patientKey: "k", phone: "+79161234567", email: nil, consentAt: now)
            let contact = try #require(try await database.contact(patientKey: "k"))
            #expect(contact.phone == "+79161234567" && contact.email == nil && contact.consentAt == now)
        }
    }

    @Test(arguments: StoreBackend.allCases) func oneAttemptBegunFromManyPlacesAtOnceIsOneEntry(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let entry = LedgerEntry(requestID: "raced", patientKey: "k", clinicID: "101", slotID: "S1", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                    clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                    doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_600), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now, actor: "patient")
            let begun = try await withThrowingTaskGroup(of: LedgerEntry.self) { group in
                for _ in 0..<40 { group.addTask { try await database.beginBooking(entry) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(begun.count == 40 && begun.allSatisfy { $0.requestID == "raced" && $0.status == .pending && $0.actor == "patient" })
            #expect(try await database.bookings(patientKey: "k").count == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases) func movesCancellationsAndCursorsAreKept(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            let first = LedgerEntry(requestID: "first", patientKey: "k", clinicID: "101", slotID: "S1", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                    clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                    doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_300), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now)
            _ = try await database.beginBooking(first)
            try await database.confirmBooking(requestID: "first", appointmentID: "A1", ticket: nil, now: now)
            // The clinic moves it: same length, new time.
            #expect(try await database.moveBooking(clinicID: "101", appointmentID: "A1", to: LedgerMove(start: now.addingTimeInterval(90_000), end: now.addingTimeInterval(90_900), day: "2026-11-24"), now: now))
            let moved = try #require(try await database.booking(clinicID: "101", appointmentID: "A1"))
            #expect(moved.start == now.addingTimeInterval(90_000) && moved.end == now.addingTimeInterval(90_900) && moved.ticket == nil)
            // A reschedule seen in the change log replaces it, once — also when several nodes read that log at the same moment.
            let replacement = LedgerEntry(requestID: "replacement", patientKey: "k", clinicID: "101", slotID: "S2", misPatientID: "P1", appointmentID: "A2", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                                          clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург",
                                          doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(95_000), end: now.addingTimeInterval(95_900), day: "2026-11-24", status: .active, channel: "front-desk", createdAt: now, replaces: "first")
            let recorded = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await database.recordReplacement(replacement) } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(recorded.filter { $0 }.count == 1)
            #expect(try await !database.recordReplacement(replacement))
            let ledger = Dictionary(uniqueKeysWithValues: try await database.bookings(patientKey: "k").map { ($0.requestID, $0) })
            #expect(ledger["first"]?.status == .moved && ledger["first"]?.movedTo == "replacement" && ledger["replacement"]?.status == .active)
            // Cancelled by an operator: who and why are kept; a second cancellation changes nothing.
            #expect(try await database.cancelBooking(clinicID: "101", appointmentID: "A2", by: "call-centre", actor: "operator:ivanova", reason: "по телефону", now: now))
            #expect(try await !database.cancelBooking(clinicID: "101", appointmentID: "A2", by: "call-centre", actor: "operator:ivanova", reason: "по телефону", now: now))
            let cancelled = try #require(try await database.booking(requestID: "replacement"))
            #expect(cancelled.status == .cancelled && cancelled.cancelledBy == "call-centre" && cancelled.cancelledActor == "operator:ivanova" && cancelled.cancelReason == "по телефону")
            #expect(try await database.changeCursor(clinicID: "101") == "0")
            try await database.saveChangeCursor(clinicID: "101", cursor: "42", now: now)
            try await database.saveChangeCursor(clinicID: "101", cursor: "43", now: now)
            #expect(try await database.changeCursor(clinicID: "101") == "43")
        }
    }

    @Test(arguments: StoreBackend.allCases) func oneTimeOfASpecialtyADayHoldsEvenWhenManyAttemptsRace(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            func attempt(_ id: String, day: String = "2026-11-24", federalCode: String = "92", replaces: String? = nil) -> LedgerEntry {
                LedgerEntry(requestID: id, patientKey: "k", clinicID: "101", slotID: "S-" + id, misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                            clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: federalCode, specialtyName: "Хирург",
                            doctorName: "Иванова М. П.", room: "214", start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_300), day: day, status: .pending, channel: "internet", createdAt: now, replaces: replaces)
            }
            // Twenty different attempts of one patient for surgeons on one day, all at once (as from several nodes).
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            return try await database.beginBooking(attempt("race-\(index)")).requestID
                        } catch let conflict as LedgerConflict {
                            return "held by " + conflict.held.requestID
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let begun = outcomes.filter { !$0.hasPrefix("held by") }
            #expect(begun.count == 1, "\(outcomes)")
            #expect(outcomes.filter { $0 == "held by " + (begun.first ?? "") }.count == 19)
            // The same attempt again is not a conflict; another day, another specialty, or a move of the held one are allowed.
            let winner = try #require(begun.first)
            #expect(try await database.beginBooking(attempt(winner)).requestID == winner)
            _ = try await database.beginBooking(attempt("next-day", day: "2026-11-25"))
            _ = try await database.beginBooking(attempt("dentist", federalCode: "89"))
            _ = try await database.beginBooking(attempt("move", replaces: winner))
            // A failed attempt holds nothing.
            try await database.failBooking(requestID: "move")
            try await database.failBooking(requestID: winner)
            _ = try await database.beginBooking(attempt("after-failures"))
        }
    }
}
