import Foundation
import Testing
@testable import Persistence

/// The notification outbox, held against both backends: messages written with their events, one
/// per consented channel and event, claimed by one worker at a time, retried, dead, withdrawn.
@Suite("Outbox store")
struct OutboxStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    private func entry(_ requestID: String, patient: String = "k", replaces: String? = nil) -> LedgerEntry {
        LedgerEntry(requestID: requestID, patientKey: patient, clinicID: "101", slotID: "S-" + requestID, misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                    clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург", doctorName: "Иванова М. П.", room: "214",
                    start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_600), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now, replaces: replaces)
    }

    @Test(arguments: StoreBackend.allCases) func anEventWritesOneMessagePerConsentedChannelOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await saveConfirmedContact(database, patientKey: "k", phone: "+79161234567", email: "anna@example.org", consentAt: now)
            _ = try await database.beginBooking(entry("r1"))
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: "101-000001", now: now)
            // Confirmed twice (a reconciliation after the desk): still one message per channel.
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: "101-000001", now: now)
            let booked = try await database.messages(patientKey: "k")
            #expect(Set(booked.map(\.channel)) == [.email, .sms] && booked.allSatisfy { $0.kind == .booked && $0.status == .pending && $0.requestID == "r1" })
            #expect(booked.first { $0.channel == .email }?.recipient == "anna@example.org")
            // A patient without contacts is told nothing (the cabinet shows the ticket).
            _ = try await database.beginBooking(entry("r2", patient: "nobody"))
            try await database.confirmBooking(requestID: "r2", appointmentID: "A2", ticket: nil, now: now)
            #expect(try await database.messages(patientKey: "nobody").isEmpty)
            // Cancelled by the patient; a move by the clinic; a move booked anew.
            #expect(try await database.cancelBooking(clinicID: "101", appointmentID: "A1", by: "internet", actor: nil, reason: nil, now: now))
            #expect(try await database.cancelBooking(clinicID: "101", appointmentID: "A1", by: "clinic", actor: nil, reason: nil, now: now) == false)
            _ = try await database.beginBooking(entry("r3"))
            try await database.confirmBooking(requestID: "r3", appointmentID: "A3", ticket: nil, now: now)
            #expect(try await database.moveBooking(clinicID: "101", appointmentID: "A3", to: LedgerMove(start: now.addingTimeInterval(90_000), end: now.addingTimeInterval(91_200), day: "2026-11-24"), now: now))
            #expect(try await database.moveBooking(clinicID: "101", appointmentID: "A3", to: LedgerMove(start: now.addingTimeInterval(93_600), end: now.addingTimeInterval(94_800), day: "2026-11-24"), now: now))
            #expect(try await database.cancelBooking(clinicID: "101", appointmentID: "A3", by: "clinic", actor: nil, reason: "врач заболел", now: now))
            _ = try await database.beginBooking(entry("r4"))
            try await database.confirmBooking(requestID: "r4", appointmentID: "A4", ticket: nil, now: now)
            _ = try await database.beginBooking(entry("r5", replaces: "r4"))
            try await database.confirmBooking(requestID: "r5", appointmentID: "A5", ticket: nil, now: now)
            let kinds = try await database.messages(patientKey: "k").filter { $0.channel == .email }.map { "\($0.kind.rawValue) \($0.requestID ?? "")" }.sorted()
            #expect(kinds == ["booked r1", "booked r3", "booked r4", "cancelled r1", "clinic-cancelled r3", "clinic-moved r3", "clinic-moved r3", "moved r5"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func reservationsAndDisplacedBookingsSettleOnceWithTheirMessages(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await saveConfirmedContact(database, patientKey: "k", phone: nil, email: "anna@example.org", consentAt: now)
            // A reservation holds its time: rule 2 counts it like an appointment
            _ = try await database.beginBooking(entry("r1"))
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: "101-1", awaiting: true, now: now)
            #expect(try await database.booking(requestID: "r1")?.status == .awaiting)
            await #expect(throws: LedgerConflict.self) { _ = try await database.beginBooking(entry("r2")) }
            // The clinic confirms it (with the card it chose), once
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "A1", .confirmed(misPatientID: "P7"), now: now))
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "A1", .confirmed(misPatientID: "P7"), now: now) == false)
            let confirmed = try #require(try await database.booking(requestID: "r1"))
            #expect(confirmed.status == .active && confirmed.misPatientID == "P7")
            // It closes the day: displaced; a confirmation no longer applies, a move brings it back
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "A1", .displaced(reason: "врач заболел"), now: now.addingTimeInterval(60)))
            #expect(try await database.booking(requestID: "r1")?.status == .displaced)
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "A1", .confirmed(misPatientID: nil), now: now) == false)
            let move = LedgerMove(start: now.addingTimeInterval(172_800), end: now.addingTimeInterval(173_700), day: "2026-11-25", slotID: "S-99", doctorID: "D2", doctorName: "Петров П. П.", room: "301", status: .active)
            #expect(try await database.moveBooking(clinicID: "101", appointmentID: "A1", to: move, now: now.addingTimeInterval(120)))
            let moved = try #require(try await database.booking(requestID: "r1"))
            #expect(moved.status == .active && moved.day == "2026-11-25" && moved.slotID == "S-99" && moved.doctorName == "Петров П. П." && moved.room == "301" && moved.end == move.end)
            // Another reservation refused with a sentence for the patient: cancelled by the clinic
            _ = try await database.beginBooking(entry("r3"))
            try await database.confirmBooking(requestID: "r3", appointmentID: "A3", ticket: nil, awaiting: true, now: now)
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "A3", .refused(reason: "Данные не совпали с картой"), now: now))
            let refused = try #require(try await database.booking(requestID: "r3"))
            #expect(refused.status == .cancelled && refused.cancelledBy == "clinic" && refused.cancelReason == "Данные не совпали с картой")
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "A3", .refused(reason: "again"), now: now.addingTimeInterval(5)) == false)
            let kinds = try await database.messages(patientKey: "k").map { "\($0.kind.rawValue) \($0.requestID ?? "")" }.sorted()
            #expect(kinds == ["awaiting r1", "awaiting r3", "clinic-confirmed r1", "clinic-moved r1", "clinic-refused r3", "displaced r1"])
        }
    }

    @Test(arguments: StoreBackend.allCases) func thePortalsFeedTellsWhatHappenedToItsBookingsOnlyAndNoncesAreUsedOnce(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            var portal = entry("f1", patient: "person")
            portal = LedgerEntry(requestID: "f1", patientKey: "person", clinicID: "101", slotID: "S-f1", misPatientID: "", clinicName: portal.clinicName, clinicAddress: portal.clinicAddress,
                                 clinicPhone: portal.clinicPhone, timeZone: portal.timeZone, federalCode: portal.federalCode, specialtyName: portal.specialtyName,
                                 doctorName: portal.doctorName, room: portal.room, start: portal.start, end: portal.end, day: portal.day, status: .pending, channel: "federal-portal", createdAt: now)
            _ = try await database.beginBooking(portal)
            try await database.confirmBooking(requestID: "f1", appointmentID: "F1", ticket: nil, awaiting: true, now: now)
            _ = try await database.beginBooking(entry("site"))
            try await database.confirmBooking(requestID: "site", appointmentID: "S1", ticket: nil, now: now)
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "F1", .confirmed(misPatientID: "P9"), now: now))
            #expect(try await database.moveBooking(clinicID: "101", appointmentID: "F1", to: LedgerMove(start: now.addingTimeInterval(90_000), end: now.addingTimeInterval(91_200), day: "2026-11-24"), now: now))
            #expect(try await database.cancelBooking(clinicID: "101", appointmentID: "S1", by: "clinic", actor: nil, reason: "врач заболел", now: now))
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "F1", .displaced(reason: "врач заболел"), now: now))
            #expect(try await database.settleBooking(clinicID: "101", appointmentID: "F1", .refused(reason: "Нет свободного времени", code: "no_free_space"), now: now))
            // PostgreSQL hands out sequences before commit: a reader leaves rows a few seconds young for later
            if backend == .postgresql {
                #expect(try await database.federalChanges(clinicID: "101", after: 0, limit: 100).isEmpty)
                try await Task.sleep(for: .seconds(PostgresStore.federalFeedSettling + 0.5))
            }
            let feed = try await database.federalChanges(clinicID: "101", after: 0, limit: 100)
            #expect(feed.map(\.kind) == ["confirmed", "moved", "displaced", "refused"] && feed.allSatisfy { $0.appointmentID == "F1" && $0.patientKey == "person" })
            #expect(feed[1].previousStart == now.addingTimeInterval(86_400) && feed[1].newStart == now.addingTimeInterval(90_000))
            #expect(feed[2].reason == "врач заболел" && feed[3].refusal == "no_free_space" && feed[3].reason == "Нет свободного времени" && feed[3].madeBy == "clinic")
            #expect(try await database.federalChanges(clinicID: "101", after: feed[1].sequence, limit: 1).map(\.kind) == ["displaced"])
            #expect(try await database.federalChanges(clinicID: "102", after: 0, limit: 100).isEmpty)
            #expect(try await database.federalBookings(clinicID: "101", patientKey: "person").map(\.requestID) == ["f1"])
            // A nonce is good once, whichever node sees it
            #expect(try await database.rememberNonce(keyID: "portal", nonce: "n-1234567890abcdef", now: now, window: 300))
            #expect(try await database.rememberNonce(keyID: "portal", nonce: "n-1234567890abcdef", now: now.addingTimeInterval(10), window: 300) == false)
            #expect(try await database.rememberNonce(keyID: "other", nonce: "n-1234567890abcdef", now: now, window: 300))
        }
    }

    @Test(arguments: StoreBackend.allCases) func aMessageIsClaimedOnceRetriedAndDiesAfterItsLastTry(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await saveConfirmedContact(database, patientKey: "k", phone: nil, email: "anna@example.org", consentAt: now)
            _ = try await database.beginBooking(entry("r1"))
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: nil, now: now)
            let claimed = try await database.claimDueMessages(now: now, limit: 10, lease: 60)
            #expect(claimed.count == 1 && claimed[0].status == .sending && claimed[0].attempts == 1)
            // Claimed: nobody else takes it while the claim lasts…
            #expect(try await database.claimDueMessages(now: now.addingTimeInterval(30), limit: 10, lease: 60).isEmpty)
            // …and once it has run out (the worker died mid-send), it is due again.
            let again = try await database.claimDueMessages(now: now.addingTimeInterval(61), limit: 10, lease: 60)
            #expect(again.map(\.id) == claimed.map(\.id) && again[0].attempts == 2)
            try await database.markMessageFailed(id: again[0].id, error: "421 try later", retryAt: now.addingTimeInterval(200))
            #expect(try await database.claimDueMessages(now: now.addingTimeInterval(150), limit: 10, lease: 60).isEmpty)
            let third = try #require(try await database.claimDueMessages(now: now.addingTimeInterval(200), limit: 10, lease: 60).first)
            #expect(third.attempts == 3 && third.lastError == "421 try later")
            try await database.markMessageFailed(id: third.id, error: "550 no such mailbox", retryAt: nil)
            #expect(try await database.messages(patientKey: "k").first?.status == .dead)
            #expect(try await database.claimDueMessages(now: now.addingTimeInterval(10_000), limit: 10, lease: 60).isEmpty)
            #expect(try await database.outboxCounts() == [.dead: 1])
        }
    }

    @Test(arguments: StoreBackend.allCases) func workersClaimingAtOnceNeverShareAMessage(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            for index in 0..<30 {
                try await saveConfirmedContact(database, patientKey: "k\(index)", phone: "+79161234567", email: "anna@example.org", consentAt: now)
                _ = try await database.beginBooking(entry("r\(index)", patient: "k\(index)"))
                try await database.confirmBooking(requestID: "r\(index)", appointmentID: "A\(index)", ticket: nil, now: now)
            }
            let batches = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<6 { group.addTask { try await database.claimDueMessages(now: now, limit: 15, lease: 60).map(\.id) } }
                var all: [[String]] = []
                for try await batch in group { all.append(batch) }
                return all
            }
            let ids = batches.flatMap { $0 }
            #expect(ids.count == 60 && Set(ids).count == 60)
            for id in ids { try await database.markMessageSent(id: id, now: now) }
            #expect(try await database.outboxCounts() == [.sent: 60])
        }
    }

    @Test(arguments: StoreBackend.allCases) func withdrawingConsentStopsPendingMessages(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await saveConfirmedContact(database, patientKey: "k", phone: "+79161234567", email: "anna@example.org", consentAt: now)
            _ = try await database.beginBooking(entry("r1"))
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: nil, now: now)
            // A new e-mail address: the message to the old one is withdrawn, the SMS stays.
            try await database.saveContact(patientKey: "k", phone: "+79161234567", email: "anna.new@example.org", consentAt: now)
            var statuses = Dictionary(uniqueKeysWithValues: try await database.messages(patientKey: "k").map { ($0.channel, $0.status) })
            #expect(statuses == [.email: .withdrawn, .sms: .pending])
            try await database.deleteContact(patientKey: "k")
            statuses = Dictionary(uniqueKeysWithValues: try await database.messages(patientKey: "k").map { ($0.channel, $0.status) })
            #expect(statuses == [.email: .withdrawn, .sms: .withdrawn])
            #expect(try await database.claimDueMessages(now: now, limit: 10, lease: 60).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases) func aDaysReminderIsWrittenOnceDeferredAndWithdrawn(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await saveConfirmedContact(database, patientKey: "k", phone: "+79161234567", email: "anna@example.org", consentAt: now)
            _ = try await database.beginBooking(entry("r1"))
            try await database.confirmBooking(requestID: "r1", appointmentID: "A1", ticket: nil, now: now)
            // Without a contact, or outside the window, a visit is no candidate.
            _ = try await database.beginBooking(entry("r2", patient: "nobody"))
            try await database.confirmBooking(requestID: "r2", appointmentID: "A2", ticket: nil, now: now)
            #expect(try await database.reminderCandidates(from: now, to: now.addingTimeInterval(3_600)).isEmpty)
            let candidates = try await database.reminderCandidates(from: now, to: now.addingTimeInterval(2 * 86_400))
            #expect(candidates == [ReminderCandidate(patientKey: "k", day: "2026-11-24", requestID: "r1", timeZone: "Europe/Moscow", firstStart: now.addingTimeInterval(86_400))])
            for _ in 0..<2 { try await database.scheduleReminder(candidates[0], due: now.addingTimeInterval(3_600), now: now) }
            #expect(try await database.reminderCandidates(from: now, to: now.addingTimeInterval(2 * 86_400)).isEmpty)
            let reminders = try await database.messages(patientKey: "k").filter { $0.kind == .reminder }
            #expect(reminders.count == 2 && reminders.allSatisfy { $0.day == "2026-11-24" && $0.nextAttemptAt == now.addingTimeInterval(3_600) })
            // Claimed (a try), deferred (not a try), claimed again, withdrawn.
            try await database.markMessageSent(id: try #require(try await database.claimDueMessages(now: now, limit: 10, lease: 60).first { $0.kind == .booked }?.id), now: now)
            let due = try await database.claimDueMessages(now: now.addingTimeInterval(3_600), limit: 10, lease: 60).filter { $0.kind == .reminder }
            #expect(due.count == 2 && due.allSatisfy { $0.attempts == 1 })
            try await database.deferMessage(id: due[0].id, until: now.addingTimeInterval(7_200))
            try await database.withdrawMessage(id: due[1].id, reason: "nothing left to say")
            let again = try #require(try await database.claimDueMessages(now: now.addingTimeInterval(7_200), limit: 10, lease: 60).first { $0.id == due[0].id })
            #expect(again.attempts == 1)
            #expect(try await database.messages(patientKey: "k").first { $0.id == due[1].id }?.status == .withdrawn)
        }
    }
}
