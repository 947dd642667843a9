import Foundation
import GRDB
import MISBridge
import Testing
@testable import ReferenceMIS

/// The demo region's past weeks: what a clinic's staff would find in a real MIS — visits, no-shows
/// and cancellations made through every channel — and the clinic marking a visit by hand.
@Suite("Demo history")
struct DemoHistoryTests {
    /// A region of 2 000 people with four weeks before `mondayMorning` written.
    private func misWithHistory() throws -> (ReferenceMIS, Int) {
        let mis = try makeMIS(patients: 2_000)
        let written = try DemoHistory(days: 28).generate(into: mis, now: mondayMorning)
        return (mis, written)
    }

    @Test func pastWeeksHoldEveryChannelAndEveryOutcomeInRealisticShares() async throws {
        let (mis, written) = try misWithHistory()
        #expect(written > 10_000)
        let shares = try await mis.database.read { db in
            (channels: try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT channel, COUNT(*) AS n FROM appointment GROUP BY channel").map { ($0["channel"] as String, $0["n"] as Int) }),
             statuses: try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM appointment GROUP BY status").map { ($0["status"] as String, $0["n"] as Int) }),
             cancellers: Set(try String.fetchAll(db, sql: "SELECT DISTINCT cancelled_by FROM appointment WHERE status = 'cancelled'")),
             total: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointment") ?? 0)
        }
        #expect(shares.total == written)
        func share(_ count: Int?) -> Double { Double(count ?? 0) / Double(shares.total) }
        for channel in ["front-desk", "internet", "call-centre", "kiosk", "federal-portal", "doctor"] {
            #expect(share(shares.channels[channel]) > 0.01, "\(channel) made no bookings")
        }
        #expect((0.25...0.45).contains(share(shares.channels["front-desk"])))
        #expect((0.70...0.90).contains(share(shares.statuses["visited"])))
        #expect((0.04...0.12).contains(share(shares.statuses["missed"])))
        #expect((0.05...0.15).contains(share(shares.statuses["cancelled"])))
        #expect(shares.statuses["active"] == nil, "a past visit left unmarked")
        #expect(shares.cancellers.isSuperset(of: ["internet", "call-centre", "clinic"]))
    }

    @Test func pastBookingsKeepTheRulesAndTheirTimesInOrder() async throws {
        let (mis, _) = try misWithHistory()
        let broken = try await mis.database.read { db in
            [
                "booked after the visit": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE a.created_at >= s.start"),
                "cancelled before booked or after the visit": try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM appointment a JOIN slot s ON s.id = a.slot_id
                    WHERE a.status = 'cancelled' AND (a.cancelled_at <= a.created_at OR a.cancelled_at >= s.start)
                    """),
                "two held bookings of one time": try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM (SELECT slot_id FROM appointment WHERE status <> 'cancelled' GROUP BY slot_id HAVING COUNT(*) > 1)
                    """),
                "two visits of a specialty in a day": try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM (SELECT 1 FROM appointment WHERE status <> 'cancelled' GROUP BY patient_id, specialty_id, day HAVING COUNT(*) > 1)
                    """),
                "a card elsewhere": try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM appointment a WHERE NOT EXISTS (SELECT 1 FROM card c WHERE c.patient_id = a.patient_id AND c.clinic_id = a.clinic_id)
                    """),
                "an adult at a paediatrician": try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.specialty_id = '110' AND p.birth_date < '2008-01-01'
                    """),
                "a man at a gynaecologist": try Int.fetchOne(db, sql: """
                    SELECT COUNT(*) FROM appointment a JOIN patient p ON p.id = a.patient_id WHERE a.specialty_id = '114' AND p.sex = 'male'
                    """),
                "a past day in the future": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM slot s JOIN appointment a ON a.slot_id = s.id WHERE s.start >= ?",
                                                            arguments: [Int(mondayMorning.timeIntervalSince1970)]),
                "held on a closed day": try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointment a JOIN slot s ON s.id = a.slot_id WHERE s.closed = 1 AND a.status <> 'cancelled'"),
            ].filter { ($0.value ?? 0) > 0 }
        }
        #expect(broken.isEmpty, "\(broken)")
    }

    @Test func theSameSeedWritesTheSameHistory() async throws {
        let (first, firstCount) = try misWithHistory()
        let (second, secondCount) = try misWithHistory()
        let digest = "SELECT group_concat(patient_id || status || channel || created_at, ',') FROM (SELECT * FROM appointment ORDER BY id)"
        #expect(firstCount == secondCount)
        #expect(try await first.database.read { try String.fetchOne($0, sql: digest) } == (try await second.database.read { try String.fetchOne($0, sql: digest) }))
    }

    @Test func getScheduleShowsAPastDayWithItsOutcomesAndPhones() async throws {
        let (mis, _) = try misWithHistory()
        let day = try #require(try await mis.database.read { db in
            try String.fetchOne(db, sql: "SELECT s.day FROM slot s JOIN appointment a ON a.slot_id = s.id WHERE s.clinic_id = '101' AND a.status = 'missed' ORDER BY s.day LIMIT 1")
        })
        let schedule = try mis.schedule(clinic: "101", doctor: nil, from: day, to: day, after: nil)
        let bookings = schedule.doctors.flatMap(\.slots).flatMap(\.bookings)
        #expect(Set(bookings.map(\.status)).isSuperset(of: [.visited, .missed]))
        #expect(bookings.filter { $0.phone != nil }.count * 10 > bookings.count * 7, "most cards have a phone")
        #expect(bookings.allSatisfy { $0.phone.map { $0.hasPrefix("+7 9") && $0.count == 16 } ?? true })
        #expect(schedule.doctors.flatMap(\.slots).contains { $0.state == .booked })
    }

    @Test func theClinicMarksAVisitOnceItsTimeHasCome() async throws {
        let mis = try makeMIS()
        let doctor = try #require(try mis.doctors(clinic: "101", specialty: "113", now: mondayMorning).first { $0.freeCount > 0 })
        let day = try #require(doctor.nearestDate)
        let slots = try mis.availableAppointments(clinic: "101", doctor: doctor.id, from: day, to: day, now: mondayMorning)
        let people = try await mis.database.read { db in try String.fetchAll(db, sql: "SELECT patient_id FROM card WHERE clinic_id = '101' ORDER BY patient_id LIMIT 2") }
        let booked = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[0].id, patientID: people[0], channel: .internet, requestID: "v-1"), now: mondayMorning)
        // Before its time: nothing to mark yet.
        #expect(throws: MISFailure.self) { try mis.recordVisit(appointment: booked.id, outcome: .visited, now: booked.start.addingTimeInterval(-60)) }
        try mis.recordVisit(appointment: booked.id, outcome: .missed, now: booked.start.addingTimeInterval(600))
        try mis.recordVisit(appointment: booked.id, outcome: .missed, now: booked.start.addingTimeInterval(900))
        #expect(try mis.history(clinic: "101", patient: people[0]).first { $0.id == booked.id }?.status == .missed)
        // Once marked, the other outcome is refused; so is a cancelled appointment or an unknown one.
        #expect(throws: MISFailure.self) { try mis.recordVisit(appointment: booked.id, outcome: .visited, now: booked.start.addingTimeInterval(900)) }
        let other = try mis.setAppointment(clinic: "101", MISBookingRequest(slotID: slots[1].id, patientID: people[1], channel: .kiosk, requestID: "v-2"), now: mondayMorning)
        _ = try mis.cancel(clinic: "101", appointment: other.id, patient: people[1], reason: nil, by: .kiosk, now: mondayMorning)
        #expect(throws: MISFailure.self) { try mis.recordVisit(appointment: other.id, outcome: .visited, now: other.start.addingTimeInterval(60)) }
        #expect(throws: MISFailure.self) { try mis.recordVisit(appointment: "999999", outcome: .visited, now: mondayMorning) }
        #expect(throws: MISFailure.self) { try mis.recordVisit(appointment: booked.id, outcome: .cancelled, now: booked.start) }
    }
}
