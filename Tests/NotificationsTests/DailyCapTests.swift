import Foundation
import Logging
import Synchronization
import Testing
@testable import Notifications
@testable import Persistence
import GRDB

/// A contact's daily cap on messages other than tickets and changes of its own bookings.
@Suite("Daily cap per contact")
struct DailyCapTests {
    /// Stands beside the worker: writes every message as a one-line SMS.
    struct PlainComposer: MessageComposer {
        func compose(_ message: OutboxMessage) async throws -> ComposedMessage? { .sms(SMSText(message.kind.rawValue)) }
    }

    /// Stands beside the worker: keeps what it was asked to deliver.
    final class RecordingDelivery: MessageDelivery {
        let delivered = Mutex<[String]>([])
        func deliver(_ message: ComposedMessage, to recipient: String, now: Date) async throws(SendFailure) {
            delivered.withLock { $0.append(recipient) }
        }
    }

    @Test func aContactGetsTenOffersADayAndEveryTicket() async throws {
        let database = try AppDatabase.inMemory()
        let now = Date()
        // Given four patients who all gave one (confirmed) phone, each waiting for four things
        var offers: [WaitlistOffer] = []
        for patient in 0..<4 {
            let key = "p\(patient)"
            try await database.saveContact(patientKey: key, phone: "+79160000001", email: nil, consentAt: now)
            try await database.writer.write { try $0.execute(sql: "UPDATE contact SET phone_confirmed_at = consent_at WHERE patient_key = ?", arguments: [key]) }
            for wish in 0..<4 {
                let entry = WaitlistEntry(id: "e\(patient)-\(wish)", patientKey: key, clinicID: "101", specialtyID: "11\(wish)", specialtyName: "Хирург", doctorID: nil, doctorName: nil,
                                          fromDay: "2026-11-23", toDay: "2026-11-25", partOfDay: nil, createdAt: now)
                try await database.joinWaitlist(entry, limit: 5)
                offers.append(WaitlistOffer(id: "o\(patient)-\(wish)", entryID: entry.id, patientKey: key, clinicID: "101", doctorID: "D1", slotID: "S\(patient)-\(wish)",
                                            start: now.addingTimeInterval(86_400), timeZone: "Europe/Moscow", doctorName: "Иванова М. П.", specialtyName: "Хирург",
                                            clinicName: "Поликлиника № 1", room: "214", createdAt: now, expiresAt: now.addingTimeInterval(1_800)))
            }
        }
        try await database.makeOffers(offers, now: now)
        // When the worker sends the sixteen offers to that one phone
        let delivery = RecordingDelivery()
        let worker = OutboxWorker(database: database, composer: PlainComposer(), delivery: delivery, logger: Logger(label: "cap-tests"), now: { now })
        while await worker.runOnce() > 0 {}
        // Then ten go out and the rest are withdrawn for the cap
        #expect(delivery.delivered.withLock { $0.count } == ContactConfirmationLimits.otherMessagesPerDay)
        let statuses = try await (0..<4).asyncFlatMap { try await database.messages(patientKey: "p\($0)") }.map(\.status)
        #expect(statuses.filter { $0 == .withdrawn }.count == 16 - ContactConfirmationLimits.otherMessagesPerDay)
        // And a ticket still goes out past the cap: it is the contact's own booking
        _ = try await database.beginBooking(LedgerEntry(
            requestID: "ticket", patientKey: "p0", clinicID: "101", slotID: "S", misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
            clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург", doctorName: "Иванова М. П.", room: "214",
            start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_000), day: "2026-11-24", status: .pending, channel: "internet", createdAt: now))
        try await database.confirmBooking(requestID: "ticket", appointmentID: "A1", ticket: nil, now: now)
        while await worker.runOnce() > 0 {}
        #expect(delivery.delivered.withLock { $0.count } == ContactConfirmationLimits.otherMessagesPerDay + 1)
    }
}

extension Sequence {
    func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async rethrows -> [T] {
        var all: [T] = []
        for element in self { all += try await transform(element) }
        return all
    }
}
