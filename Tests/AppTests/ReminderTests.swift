import Foundation
import Logging
import Notifications
import Persistence
import Synchronization
import Web
import Testing
@testable import App

/// The day-before reminder through the real worker, store and templates, with an injected clock and
/// clinics in two time zones; only the delivery is a recorder (the channels have their own tests).
@Suite struct ReminderTests {
    /// Keeps what would have been sent.
    final class Recorder: MessageDelivery, @unchecked Sendable {
        let sent = Mutex<[(String, ComposedMessage)]>([])
        func deliver(_ message: ComposedMessage, to recipient: String, now: Date) async throws(SendFailure) {
            sent.withLock { $0.append((recipient, message)) }
        }

        func reminders() -> [(to: String, subject: String, text: String)] {
            sent.withLock { sent in
                sent.compactMap { recipient, message in
                    guard case .email(let mail) = message, mail.subject.hasPrefix("Напоминание") else { return nil }
                    return (recipient, mail.subject, mail.text)
                }
            }
        }
    }

    private func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private func visit(_ id: String, patient: String, zone: String, start: String, day: String, room: String) -> LedgerEntry {
        LedgerEntry(requestID: id, patientKey: patient, clinicID: "101", slotID: "S-" + id, misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
                    clinicPhone: "+7 423 101-00-01", timeZone: zone, federalCode: id, specialtyName: "Хирург", doctorName: "Иванова М. П.", room: room,
                    start: utc(start), end: utc(start).addingTimeInterval(1_200), day: day, status: .pending, channel: "internet", createdAt: utc("2026-11-30T10:00:00Z"))
    }

    @Test func remindersWaitForEightOnTheClinicsClockAndJoinOnePatientsDay() async throws {
        let database = try AppDatabase.inMemory()
        let clock = Mutex(utc("2026-12-01T10:00:00Z"))
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        // Two visits of one patient in Vladivostok on 3 December, one of another in Kaliningrad.
        try await saveConfirmedContact(database, patientKey: "east", email: "east@example.org", consentAt: now())
        try await saveConfirmedContact(database, patientKey: "west", email: "west@example.org", consentAt: now())
        for entry in [visit("a", patient: "east", zone: "Asia/Vladivostok", start: "2026-12-02T23:00:00Z", day: "2026-12-03", room: "101"),
                      visit("b", patient: "east", zone: "Asia/Vladivostok", start: "2026-12-03T01:00:00Z", day: "2026-12-03", room: "202"),
                      visit("c", patient: "west", zone: "Europe/Kaliningrad", start: "2026-12-03T07:00:00Z", day: "2026-12-03", room: "303")] {
            _ = try await database.beginBooking(entry)
            try await database.confirmBooking(requestID: entry.requestID, appointmentID: "A-" + entry.requestID, ticket: "T-" + entry.requestID, now: now())
        }
        let pages = try testPages.get()
        let composer = LedgerMessageComposer(database: database, pages: pages, publicURL: "https://registratura.example.org", sender: ("r@example.org", "Регистратура"),
                                             quietHours: QuietHours(), now: now)
        let recorder = Recorder()
        let worker = OutboxWorker(database: database, composer: composer, delivery: recorder, logger: Logger(label: "tests"), now: now)

        // Two days ahead the reminders are written, due later.
        #expect(await worker.scheduleReminders() == 2)
        #expect(await worker.scheduleReminders() == 0)
        await worker.runOnce()
        #expect(recorder.reminders().isEmpty)
        // 07:59 in Vladivostok: not yet.
        clock.withLock { $0 = utc("2026-12-01T21:59:00Z") }
        await worker.runOnce()
        #expect(recorder.reminders().isEmpty)
        // 08:00 there: one message with both visits; Kaliningrad is still at midnight.
        clock.withLock { $0 = utc("2026-12-01T22:00:00Z") }
        await worker.runOnce()
        let east = recorder.reminders()
        #expect(east.count == 1 && east[0].to == "east@example.org" && east[0].subject.hasPrefix("Напоминание: завтра, 3 декабря, приёмы"))
        #expect(east[0].text.contains("кабинет 101") && east[0].text.contains("кабинет 202") && east[0].text.contains("Талон № T-a"))
        // 08:00 in Kaliningrad.
        clock.withLock { $0 = utc("2026-12-02T06:00:00Z") }
        await worker.runOnce()
        #expect(recorder.reminders().map(\.to) == ["east@example.org", "west@example.org"])
        #expect(try database.messages(patientKey: "west").first { $0.kind == .reminder }?.status == .sent)
    }

    @Test func aReminderWhoseVisitsWereCancelledIsNotSent() async throws {
        let database = try AppDatabase.inMemory()
        let clock = Mutex(utc("2026-12-01T10:00:00Z"))
        let now: @Sendable () -> Date = { clock.withLock { $0 } }
        try await saveConfirmedContact(database, patientKey: "east", email: "east@example.org", consentAt: now())
        let entry = visit("a", patient: "east", zone: "Asia/Vladivostok", start: "2026-12-02T23:00:00Z", day: "2026-12-03", room: "101")
        _ = try await database.beginBooking(entry)
        try await database.confirmBooking(requestID: "a", appointmentID: "A-a", ticket: nil, now: now())
        let pages = try testPages.get()
        let composer = LedgerMessageComposer(database: database, pages: pages, publicURL: "https://r.example.org", sender: ("r@example.org", "Регистратура"), quietHours: QuietHours(), now: now)
        let recorder = Recorder()
        let worker = OutboxWorker(database: database, composer: composer, delivery: recorder, logger: Logger(label: "tests"), now: now)
        #expect(await worker.scheduleReminders() == 1)
        try await database.cancelBooking(clinicID: "101", appointmentID: "A-a", by: "internet", actor: nil, reason: nil, now: now())
        clock.withLock { $0 = utc("2026-12-01T22:00:00Z") }
        await worker.runOnce()
        #expect(recorder.reminders().isEmpty)
        #expect(try database.messages(patientKey: "east").first { $0.kind == .reminder }?.status == .withdrawn)
    }
}
