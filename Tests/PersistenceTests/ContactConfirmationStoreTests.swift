import Foundation
import Testing
@testable import Persistence

/// A new contact receives nothing but its confirmation until it is confirmed; confirmations are
/// limited per contact and per patient; held on both backends.
@Suite("Contact confirmation store")
struct ContactConfirmationStoreTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    private func ticket(_ database: any RegistryStore, _ requestID: String, patient: String) async throws {
        _ = try await database.beginBooking(LedgerEntry(
            requestID: requestID, patientKey: patient, clinicID: "101", slotID: "S-" + requestID, misPatientID: "P1", clinicName: "Поликлиника № 1", clinicAddress: "ул. Ленина, 12",
            clinicPhone: "+7 495 101-00-01", timeZone: "Europe/Moscow", federalCode: "92", specialtyName: "Хирург", doctorName: "Иванова М. П.", room: "214",
            start: now.addingTimeInterval(86_400), end: now.addingTimeInterval(87_000), day: "2026-11-24-" + requestID, status: .pending, channel: "internet", createdAt: now))
        try await database.confirmBooking(requestID: requestID, appointmentID: "A-" + requestID, ticket: nil, now: now)
    }

    @Test(arguments: StoreBackend.allCases) func aTicketWaitsForItsContactsConfirmationAndOnlyTheCodeGoesBefore(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            // Given a patient who leaves a phone at booking
            try await database.saveContact(patientKey: "k", phone: "+79161234567", email: nil, consentAt: now)
            try await ticket(database, "r1", patient: "k")
            #expect(try await database.contact(patientKey: "k")?.phoneConfirmed == false)
            // Then the ticket is written but not sent; the code is
            #expect(try await database.startContactConfirmation(patientKey: "k", channel: .sms, secret: "123456", secretHash: ContactSecret.hash("123456", patientKey: "k"), now: now))
            let first = try await database.claimDueMessages(now: now, limit: 10, lease: 60)
            #expect(first.map(\.kind) == [.contactCode] && first[0].requestID == "123456" && first[0].recipient == "+79161234567")
            // A wrong code counts against it; the right one confirms, and the ticket goes out
            #expect(try await database.confirmContact(patientKey: "k", channel: .sms, secretHash: ContactSecret.hash("000000", patientKey: "k"), now: now) == false)
            #expect(try await database.confirmContact(patientKey: "k", channel: .sms, secretHash: ContactSecret.hash("123456", patientKey: "k"), now: now))
            #expect(try await database.contact(patientKey: "k")?.phoneConfirmed == true)
            #expect(try await database.claimDueMessages(now: now, limit: 10, lease: 60).map(\.kind) == [.booked])
            // A confirmation is spent once used
            #expect(try await database.confirmContact(patientKey: "k", channel: .sms, secretHash: ContactSecret.hash("123456", patientKey: "k"), now: now) == false)
            // The same phone saved again stays confirmed; a new one is not
            try await database.saveContact(patientKey: "k", phone: "+79161234567", email: "anna@example.org", consentAt: now)
            #expect(try await database.contact(patientKey: "k").map { ($0.phoneConfirmed, $0.emailConfirmed) } ?? (false, true) == (true, false))
            try await database.saveContact(patientKey: "k", phone: "+79167654321", email: "anna@example.org", consentAt: now)
            #expect(try await database.contact(patientKey: "k")?.phoneConfirmed == false)
        }
    }

    @Test(arguments: StoreBackend.allCases) func confirmationsAreLimitedAndWrongCodesSpendThem(_ backend: StoreBackend) async throws {
        try await withStore(backend) { database in
            try await database.saveContact(patientKey: "k", phone: "+79161234567", email: "stranger@example.org", consentAt: now)
            // Per contact: three a day
            for index in 0..<ContactConfirmationLimits.perRecipientPerDay {
                #expect(try await database.startContactConfirmation(patientKey: "k", channel: .email, secret: "t\(index)", secretHash: ContactSecret.hash("t\(index)", patientKey: nil), now: now))
            }
            #expect(try await database.startContactConfirmation(patientKey: "k", channel: .email, secret: "t9", secretHash: ContactSecret.hash("t9", patientKey: nil), now: now) == false)
            #expect(try await database.startContactConfirmation(patientKey: "k", channel: .email, secret: "t9", secretHash: ContactSecret.hash("t9", patientKey: nil), now: now.addingTimeInterval(86_401)))
            // The latest link finds its confirmation; an older one no longer does
            #expect(try await database.contactConfirmation(secretHash: ContactSecret.hash("t9", patientKey: nil), now: now.addingTimeInterval(86_402))
                    == ContactConfirmation(patientKey: "k", channel: .email, recipient: "stranger@example.org"))
            #expect(try await database.contactConfirmation(secretHash: ContactSecret.hash("t0", patientKey: nil), now: now.addingTimeInterval(86_402)) == nil)
            // Five wrong codes spend a phone's confirmation, even for the right one after them
            #expect(try await database.startContactConfirmation(patientKey: "k", channel: .sms, secret: "654321", secretHash: ContactSecret.hash("654321", patientKey: "k"), now: now))
            for _ in 0..<ContactConfirmationLimits.attempts {
                #expect(try await database.confirmContact(patientKey: "k", channel: .sms, secretHash: ContactSecret.hash("111111", patientKey: "k"), now: now) == false)
            }
            #expect(try await database.confirmContact(patientKey: "k", channel: .sms, secretHash: ContactSecret.hash("654321", patientKey: "k"), now: now) == false)
            // The cap counts what went out to a recipient, by kind
            let sent = try await database.claimDueMessages(now: now.addingTimeInterval(86_402), limit: 20, lease: 60)
            #expect(sent.count == 5 && sent.allSatisfy { $0.kind == .contactCode })
            #expect(try await database.messageCount(recipient: "stranger@example.org", kinds: OutboxMessage.Kind.capped, since: now.addingTimeInterval(-1)) == 4)
            #expect(try await database.messageCount(recipient: "stranger@example.org", kinds: [.booked], since: now.addingTimeInterval(-1)) == 0)
        }
    }
}
