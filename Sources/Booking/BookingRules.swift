import CivilTime
import Foundation

/// The booking rules of DESIGN §3 in one place, for every channel. Pure and clock-injected: the
/// caller passes `now` and everything known about the slot and the patient.
public struct BookingRules: Sendable, Equatable {
    /// A slot can be booked only if it starts at least this long from now.
    public var leadTime: TimeInterval = 3 * 3_600
    /// Slots are offered up to this many days ahead (clinic-local days, today included).
    public var horizonDays = 14
    /// Ages a paediatrician and a therapist serve.
    public var adultAge = 18

    public init() {}

    /// Who may see the doctor without the clinic's help.
    public enum Access: String, Sendable {
        case open, dispensary, referral
    }

    /// What is known about a specialty for the rules.
    public struct Specialty: Sendable {
        /// The federal code, which identifies a specialty across clinics and MIS vendors.
        public let federalCode: String
        public let access: Access
        public let minimumAge: Int?
        public let maximumAge: Int?
        /// Only patients attached to the clinic may book it (district doctors).
        public let attachedOnly: Bool

        public init(federalCode: String, access: Access, minimumAge: Int? = nil, maximumAge: Int? = nil, attachedOnly: Bool = false) {
            self.attachedOnly = attachedOnly
            self.federalCode = federalCode
            self.access = access
            self.minimumAge = minimumAge
            self.maximumAge = maximumAge
        }
    }

    /// An active appointment the patient already holds (from the registry's ledger).
    public struct Held: Sendable {
        public let federalCode: String
        /// Clinic-local day of the appointment, `YYYY-MM-DD`.
        public let day: String
        public let appointmentID: String

        public init(federalCode: String, day: String, appointmentID: String) {
            self.federalCode = federalCode
            self.day = day
            self.appointmentID = appointmentID
        }
    }

    /// What is known about the patient for the rules.
    public struct Patient: Sendable {
        /// `YYYY-MM-DD`.
        public let birthDate: String
        /// Federal codes of the specialties the patient is under dispensary observation with.
        public let dispensaryCodes: Set<String>
        public let hasReferral: Bool
        public let held: [Held]
        /// Attached to the clinic of the slot being checked.
        public let attached: Bool

        public init(birthDate: String, dispensaryCodes: Set<String> = [], hasReferral: Bool = false, held: [Held] = [], attached: Bool = true) {
            self.attached = attached
            self.birthDate = birthDate
            self.dispensaryCodes = dispensaryCodes
            self.hasReferral = hasReferral
            self.held = held
        }
    }

    /// The last day (`YYYY-MM-DD` in `zone`) on which a time may be booked now: the horizon's end.
    public func lastDay(now: Date, zone: TimeZone) -> String {
        Self.day(now.addingTimeInterval(TimeInterval(horizonDays - 1) * 86_400), zone)
    }

    /// Whether a time starting at `start` is far enough ahead and within the horizon to be booked now
    /// (the rules about the time alone; who books it is checked by `refusal`).
    public func isBookable(start: Date, zone: TimeZone, now: Date) -> Bool {
        start.timeIntervalSince(now) >= leadTime && Self.day(start, zone) <= lastDay(now: now, zone: zone)
    }

    /// Checks a booking of a slot starting at `start` in a clinic in `zone`; nil means allowed.
    /// `replacing` names an appointment being moved, which does not count against rule 2.
    public func refusal(start: Date, zone: TimeZone, specialty: Specialty, patient: Patient, now: Date, replacing: String? = nil) -> Refusal? {
        if start <= now { return Refusal(.slotInPast) }
        if start.timeIntervalSince(now) < leadTime { return Refusal(.tooSoon) }
        let day = Self.day(start, zone)
        if day > lastDay(now: now, zone: zone) { return Refusal(.beyondHorizon) }
        let age = Self.age(birthDate: patient.birthDate, on: day)
        if let minimum = specialty.minimumAge, age < minimum {
            return Refusal(minimum >= adultAge ? .adultsOnly : .tooYoung)
        }
        if let maximum = specialty.maximumAge, age > maximum {
            return Refusal(maximum < adultAge ? .childrenOnly : .tooOld)
        }
        switch specialty.access {
        case .open: break
        case .dispensary:
            if !patient.dispensaryCodes.contains(specialty.federalCode) && !patient.hasReferral { return Refusal(.dispensaryOnly) }
        case .referral:
            if !patient.hasReferral { return Refusal(.referralOnly) }
        }
        if specialty.attachedOnly && !patient.attached { return Refusal(.notAttached) }
        if patient.held.contains(where: { $0.federalCode == specialty.federalCode && $0.day == day && $0.appointmentID != replacing }) {
            return Refusal(.alreadyBookedThatDay)
        }
        return nil
    }

    /// The clinic-local day of an instant, `YYYY-MM-DD`.
    public static func day(_ date: Date, _ zone: TimeZone) -> String {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        return CivilDate(daysSinceEpoch: CivilDate.floorDivide(local, 86_400)).isoDay
    }

    /// Whole years from a birth date to a day, both `YYYY-MM-DD`.
    public static func age(birthDate: String, on day: String) -> Int {
        let birth = birthDate.split(separator: "-").compactMap { Int($0) }
        let today = day.split(separator: "-").compactMap { Int($0) }
        guard birth.count == 3, today.count == 3 else { return 0 }
        var age = today[0] - birth[0]
        if (today[1], today[2]) < (birth[1], birth[2]) { age -= 1 }
        return age
    }
}

/// Why a booking cannot be made: a stable code, the same for every channel. Each audience's wording
/// (the patient's «у вас», the operator's «у пациента») is the web layer's (`RefusalTexts`).
public struct Refusal: Error, Equatable, Sendable {
    /// Stable codes, the same for every channel (web, kiosk, call centre) and safe for logs and metrics.
    public enum Code: String, Sendable, CaseIterable {
        case slotInPast = "slot-in-past"
        case tooSoon = "too-soon"
        case beyondHorizon = "beyond-horizon"
        case alreadyBookedThatDay = "already-booked-that-day"
        case childrenOnly = "children-only"
        case adultsOnly = "adults-only"
        case tooYoung = "too-young"
        case tooOld = "too-old"
        case dispensaryOnly = "dispensary-only"
        case referralOnly = "referral-only"
        case slotTaken = "slot-taken"
        case notAttached = "not-attached"
        case patientNotFound = "patient-not-found"
        case severalPatients = "several-patients"
        case bookingForbidden = "booking-forbidden"
        case clinicUnavailable = "clinic-unavailable"
        /// A move may lead only to the same specialty in the same clinic.
        case moveElsewhere = "move-elsewhere"
        /// The clinic has no referral with that number for this patient.
        case referralNotFound = "referral-not-found"
        /// The referral has been used for an appointment already.
        case referralUsed = "referral-used"
        /// The referral's last day is before the time chosen (or has passed).
        case referralExpired = "referral-expired"
        /// The referral sends the patient to another specialty.
        case referralOtherSpecialty = "referral-other-specialty"
    }

    public let code: Code

    public init(_ code: Code) {
        self.code = code
    }

    /// Only a referral is missing (the specialty is open by referral, or to those observed with it):
    /// a patient who brings one may book.
    public var asksForReferral: Bool { code == .referralOnly || code == .dispensaryOnly }
}
