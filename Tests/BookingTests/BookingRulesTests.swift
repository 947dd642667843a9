import Foundation
import Testing
@testable import Booking

@Suite("Booking rules")
struct BookingRulesTests {
    let rules = BookingRules()
    let moscow = TimeZone(identifier: "Europe/Moscow")!
    /// Monday 23 November 2026, 09:00 Moscow.
    let now = Date(timeIntervalSince1970: 1_795_413_600)
    let therapist = BookingRules.Specialty(federalCode: "76", access: .open, minimumAge: 18)
    let surgeon = BookingRules.Specialty(federalCode: "92", access: .open)
    let adult = BookingRules.Patient(birthDate: "1980-05-05")

    @Test func theDayIsTheClinicsOwn() {
        // 23:30 in Moscow on 22 November is already 23 November in Yekaterinburg and still 22 November in UTC.
        let lateEvening = Date(timeIntervalSince1970: 1_795_413_600 - 9.5 * 3_600)
        #expect(BookingRules.day(lateEvening, moscow) == "2026-11-22")
        #expect(BookingRules.day(lateEvening, TimeZone(identifier: "Asia/Yekaterinburg")!) == "2026-11-23")
        #expect(BookingRules.day(lateEvening, TimeZone(identifier: "UTC")!) == "2026-11-22")
        #expect(BookingRules.day(Date(timeIntervalSince1970: 951_782_400), TimeZone(identifier: "UTC")!) == "2000-02-29")
        #expect(BookingRules.day(Date(timeIntervalSince1970: -1), TimeZone(identifier: "UTC")!) == "1969-12-31")
    }

    @Test func leadTimeIsThreeHours() {
        #expect(rules.refusal(start: now.addingTimeInterval(2 * 3_600 + 59 * 60), zone: moscow, specialty: surgeon, patient: adult, now: now) == Refusal(.tooSoon))
        #expect(rules.refusal(start: now.addingTimeInterval(3 * 3_600 + 60), zone: moscow, specialty: surgeon, patient: adult, now: now) == nil)
        #expect(rules.refusal(start: now.addingTimeInterval(-60), zone: moscow, specialty: surgeon, patient: adult, now: now) == Refusal(.slotInPast))
    }

    @Test func horizonIsFourteenClinicLocalDays() {
        // Today is the 23rd; the 14th day is 6 December.
        let lastDay = Date(timeIntervalSince1970: 1_796_540_400)  // 2026-12-06 10:00 MSK
        #expect(rules.refusal(start: lastDay, zone: moscow, specialty: surgeon, patient: adult, now: now) == nil)
        #expect(rules.refusal(start: lastDay.addingTimeInterval(86_400), zone: moscow, specialty: surgeon, patient: adult, now: now) == Refusal(.beyondHorizon))
    }

    @Test func whatTheSchedulesOfferIsWhatTheRulesAllow() {
        // The pages offer times up to the horizon's last day and from the lead time on: the same bounds the refusal uses.
        #expect(rules.lastDay(now: now, zone: moscow) == "2026-12-06")
        let lastDay = Date(timeIntervalSince1970: 1_796_540_400)  // 2026-12-06 10:00 MSK
        for start in [now.addingTimeInterval(2 * 3_600 + 59 * 60), now.addingTimeInterval(3 * 3_600 + 60), lastDay, lastDay.addingTimeInterval(86_400)] {
            #expect(rules.isBookable(start: start, zone: moscow, now: now) == (rules.refusal(start: start, zone: moscow, specialty: surgeon, patient: adult, now: now) == nil), "\(start)")
        }
    }

    @Test func onePerSpecialtyPerDayAcrossClinics() {
        let start = now.addingTimeInterval(5 * 3_600)
        let held = BookingRules.Patient(birthDate: "1980-05-05", held: [.init(federalCode: "92", day: "2026-11-23", appointmentID: "A1")])
        #expect(rules.refusal(start: start, zone: moscow, specialty: surgeon, patient: held, now: now) == Refusal(.alreadyBookedThatDay))
        #expect(rules.refusal(start: start, zone: moscow, specialty: therapist, patient: held, now: now) == nil)
        #expect(rules.refusal(start: start.addingTimeInterval(86_400), zone: moscow, specialty: surgeon, patient: held, now: now) == nil)
        // Moving that very appointment within the day is not a second booking.
        #expect(rules.refusal(start: start, zone: moscow, specialty: surgeon, patient: held, now: now, replacing: "A1") == nil)
    }

    @Test func theDayIsTheClinicsLocalDay() {
        // 23:30 on the 23rd in Moscow is already the 24th in Yekaterinburg.
        let late = Date(timeIntervalSince1970: 1_795_465_800)
        let held = BookingRules.Patient(birthDate: "1980-05-05", held: [.init(federalCode: "92", day: "2026-11-24", appointmentID: "A1")])
        #expect(rules.refusal(start: late, zone: TimeZone(identifier: "Asia/Yekaterinburg")!, specialty: surgeon, patient: held, now: now) == Refusal(.alreadyBookedThatDay))
        #expect(rules.refusal(start: late, zone: moscow, specialty: surgeon, patient: held, now: now) == nil)
    }

    @Test func whoMaySelfBookWhom() {
        let start = now.addingTimeInterval(5 * 3_600)
        let child = BookingRules.Patient(birthDate: "2015-01-01")
        let paediatrician = BookingRules.Specialty(federalCode: "68", access: .open, maximumAge: 17)
        #expect(rules.refusal(start: start, zone: moscow, specialty: therapist, patient: child, now: now) == Refusal(.adultsOnly))
        #expect(rules.refusal(start: start, zone: moscow, specialty: paediatrician, patient: adult, now: now) == Refusal(.childrenOnly))
        #expect(rules.refusal(start: start, zone: moscow, specialty: paediatrician, patient: child, now: now) == nil)
        let cardiologist = BookingRules.Specialty(federalCode: "23", access: .dispensary)
        #expect(rules.refusal(start: start, zone: moscow, specialty: cardiologist, patient: adult, now: now) == Refusal(.dispensaryOnly))
        #expect(rules.refusal(start: start, zone: moscow, specialty: cardiologist, patient: .init(birthDate: "1980-05-05", dispensaryCodes: ["23"]), now: now) == nil)
        #expect(rules.refusal(start: start, zone: moscow, specialty: cardiologist, patient: .init(birthDate: "1980-05-05", hasReferral: true), now: now) == nil)
        let ophthalmologist = BookingRules.Specialty(federalCode: "65", access: .referral)
        #expect(rules.refusal(start: start, zone: moscow, specialty: ophthalmologist, patient: adult, now: now) == Refusal(.referralOnly))
        #expect(rules.refusal(start: start, zone: moscow, specialty: ophthalmologist, patient: .init(birthDate: "1980-05-05", hasReferral: true), now: now) == nil)
    }

    @Test func districtDoctorsAreForPatientsAttachedToTheClinic() {
        let district = BookingRules.Specialty(federalCode: "76", access: .open, minimumAge: 18, attachedOnly: true)
        let start = now.addingTimeInterval(86_400)
        #expect(rules.refusal(start: start, zone: moscow, specialty: district, patient: adult, now: now) == nil)
        let elsewhere = BookingRules.Patient(birthDate: "1980-05-05", attached: false)
        #expect(rules.refusal(start: start, zone: moscow, specialty: district, patient: elsewhere, now: now) == Refusal(.notAttached))
        #expect(rules.refusal(start: start, zone: moscow, specialty: surgeon, patient: elsewhere, now: now) == nil)
    }

    @Test func theBookingBeingMovedDoesNotCountAgainstItsOwnDay() {
        let start = now.addingTimeInterval(86_400)
        let holding = BookingRules.Patient(birthDate: "1980-05-05", held: [.init(federalCode: "92", day: BookingRules.day(start, moscow), appointmentID: "a1")])
        #expect(rules.refusal(start: start.addingTimeInterval(3_600), zone: moscow, specialty: surgeon, patient: holding, now: now) == Refusal(.alreadyBookedThatDay))
        #expect(rules.refusal(start: start.addingTimeInterval(3_600), zone: moscow, specialty: surgeon, patient: holding, now: now, replacing: "a1") == nil)
    }

    @Test func ageCountsOnTheAppointmentDay() {
        // Turns 18 on 24 November: a therapist on the 23rd refuses, on the 24th accepts.
        let almost = BookingRules.Patient(birthDate: "2008-11-24")
        #expect(rules.refusal(start: now.addingTimeInterval(5 * 3_600), zone: moscow, specialty: therapist, patient: almost, now: now) == Refusal(.adultsOnly))
        #expect(rules.refusal(start: now.addingTimeInterval(86_400), zone: moscow, specialty: therapist, patient: almost, now: now) == nil)
    }
}
