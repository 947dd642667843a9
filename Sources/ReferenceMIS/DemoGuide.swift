import CivilTime
import Foundation
import GRDB
import MISBridge

/// Answers "whom and what can I try?" about the reference MIS's own data — demo people, their
/// referrals, free times, what became of a time — so that tests and people trying the demo never
/// read its tables themselves.
public struct DemoGuide: Sendable {
    let database: MISDatabase

    public init(_ mis: ReferenceMIS) {
        database = mis.database
    }

    /// A demo person, with what they type to be found and where they belong.
    public struct Person: Sendable, Equatable {
        public let id: String
        public let policy: String
        /// `YYYY-MM-DD`.
        public let birthDate: String
        public let document: String
        public let attachedClinic: String?
        public let district: String?
        public let snils: String?
        public let lastName: String
        public let firstName: String

        /// The birth date as a person types it: `DD.MM.YYYY`.
        public var typedBirthDate: String {
            let parts = birthDate.split(separator: "-")
            return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : birthDate
        }
    }

    /// Which people are wanted; every condition left nil is not asked.
    public struct Wanted: Sendable {
        /// The kind of policy the person holds.
        public enum Policy: Sendable { case unified, old }

        public var attachedTo: String?
        public var cardIn: String?
        public var adult: Bool?
        public var policy: Policy?
        /// true: someone else has the same policy and birth date; false: nobody does.
        public var hasNamesake: Bool?
        public var registeredFor: String?
        public var notRegisteredFor: String?

        public init(attachedTo: String? = nil, cardIn: String? = nil, adult: Bool? = nil, policy: Policy? = nil,
                    hasNamesake: Bool? = nil, registeredFor: String? = nil, notRegisteredFor: String? = nil) {
            self.attachedTo = attachedTo
            self.cardIn = cardIn
            self.adult = adult
            self.policy = policy
            self.hasNamesake = hasNamesake
            self.registeredFor = registeredFor
            self.notRegisteredFor = notRegisteredFor
        }

        /// An adult with a unified policy attached to `clinic`, whom nobody shares a policy with.
        public static func adult(of clinic: String) -> Wanted {
            Wanted(attachedTo: clinic, adult: true, policy: .unified, hasNamesake: false)
        }
    }

    /// The wanted people in a stable order, `skipping` the first ones.
    public func people(_ wanted: Wanted, count: Int = 1, skipping: Int = 0) throws -> [Person] {
        // The generator makes a namesake "<id>D" for some people: the original and the copy share policy and birth date.
        let twins = "(SELECT substr(id, 1, length(id) - 1) FROM patient WHERE id LIKE '%D')"
        var conditions = ["1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let clinic = wanted.attachedTo { conditions.append("a.clinic_id = ?"); arguments.append(clinic) }
        if let clinic = wanted.cardIn { conditions.append("p.id IN (SELECT patient_id FROM card WHERE clinic_id = ?)"); arguments.append(clinic) }
        if let adult = wanted.adult { conditions.append(adult ? "p.birth_date < '2000-01-01'" : "p.birth_date > '2010-01-01'") }
        switch wanted.policy {
        case .unified: conditions.append("length(p.policy) = 16")
        case .old: conditions.append("instr(p.policy, ' ') > 0")
        case nil: break
        }
        switch wanted.hasNamesake {
        case true: conditions.append("p.id IN \(twins)")
        case false: conditions.append("p.id NOT LIKE '%D' AND p.id NOT IN \(twins)")
        case nil: break
        }
        if let specialty = wanted.registeredFor {
            conditions.append("p.id IN (SELECT patient_id FROM dispensary WHERE specialty_id = ?)"); arguments.append(specialty)
        }
        if let specialty = wanted.notRegisteredFor {
            conditions.append("p.id NOT IN (SELECT patient_id FROM dispensary WHERE specialty_id = ?)"); arguments.append(specialty)
        }
        arguments += [count, skipping]
        let sql = """
            SELECT p.id, p.policy, p.birth_date, p.document, p.snils, p.last_name, p.first_name, a.clinic_id, a.district FROM patient p
            LEFT JOIN attachment a ON a.patient_id = p.id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY p.id LIMIT ? OFFSET ?
            """
        return try database.writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.person)
        }
    }

    /// A referral the demo region issued, with its holder.
    public struct Referral: Sendable {
        public let number: String
        public let specialty: String
        public let validUntil: String
        public let holder: Person
    }

    /// Unused referrals of `clinic` held by people nobody shares a policy with; `expired` picks those
    /// already past their date at `now` in the clinic's zone.
    public func referrals(clinic: String, expired: Bool, now: Date, count: Int = 1) throws -> [Referral] {
        try database.writer.read { db in
            let zone = try String.fetchOne(db, sql: "SELECT time_zone FROM clinic WHERE id = ?", arguments: [clinic]).flatMap(TimeZone.init(identifier:)) ?? .current
            let day = ProtocolTime.day(now, in: zone)
            return try Row.fetchAll(db, sql: """
                SELECT r.number, r.specialty_id, r.valid_until, p.id, p.policy, p.birth_date, p.document, p.snils, p.last_name, p.first_name, a.clinic_id, a.district
                FROM referral r JOIN patient p ON p.id = r.patient_id LEFT JOIN attachment a ON a.patient_id = p.id
                WHERE r.clinic_id = ? AND r.used_appointment_id IS NULL AND length(p.policy) = 16
                AND p.id NOT IN (SELECT substr(id, 1, length(id) - 1) FROM patient WHERE id LIKE '%D')
                AND (r.valid_until < ?) = ? ORDER BY r.number LIMIT ?
                """, arguments: [clinic, day, expired, count]).map { row in
                Referral(number: row["number"], specialty: row["specialty_id"], validUntil: row["valid_until"], holder: Self.person(row))
            }
        }
    }

    /// A free time of the schedule.
    public struct FreeTime: Sendable, Equatable {
        public let slot: String
        public let doctor: String
        public let start: Date
        /// The clinic's local day, `YYYY-MM-DD`.
        public let day: String
    }

    /// Free times starting after `after`, in order of doctor then start when `byDoctor`, else by start;
    /// limited to a clinic, a specialty, a doctor or a day when given.
    public func freeTimes(clinic: String? = nil, specialty: String? = nil, doctor: String? = nil, day: String? = nil,
                          after: Date, byDoctor: Bool = false, count: Int = 1) throws -> [FreeTime] {
        var conditions = ["s.closed = 0", "s.start > ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [Int(after.timeIntervalSince1970)]
        for (column, value) in [("s.clinic_id", clinic), ("d.specialty_id", specialty), ("s.doctor_id", doctor), ("s.day", day)] {
            if let value { conditions.append("\(column) = ?"); arguments.append(value) }
        }
        conditions.append("s.id NOT IN (SELECT slot_id FROM appointment WHERE status IN ('active', 'reserved'))")
        arguments.append(count)
        let sql = """
            SELECT s.id, s.doctor_id, s.start, s.day FROM slot s JOIN doctor d ON d.id = s.doctor_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY \(byDoctor ? "s.doctor_id, " : "")s.start LIMIT ?
            """
        return try database.writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                FreeTime(slot: String(row["id"] as Int64), doctor: row["doctor_id"], start: Date(timeIntervalSince1970: TimeInterval(row["start"] as Int)), day: row["day"])
            }
        }
    }

    /// Two free times of one doctor of `specialty` in `clinic` on one day, after `after` (for rule 2).
    public func twoTimesOnOneDay(clinic: String, specialty: String, after: Date) throws -> [FreeTime] {
        let times = try freeTimes(clinic: clinic, specialty: specialty, after: after, count: 1_000)
        let firstPair = Dictionary(grouping: times) { "\($0.doctor) \($0.day)" }.values
            .filter { $0.count >= 2 }.min { ($0[0].day, $0[0].doctor) < ($1[0].day, $1[0].doctor) }
        return firstPair.map { Array($0.prefix(2)) } ?? []
    }

    /// What became of every appointment ever made on a time, oldest first.
    public func appointments(onSlot slot: String) throws -> [MISAppointmentStatus] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT status FROM appointment WHERE slot_id = ? ORDER BY id", arguments: [Int64(slot) ?? -1])
                .compactMap(MISAppointmentStatus.init(rawValue:))
        }
    }

    private static func person(_ row: Row) -> Person {
        Person(id: row["id"], policy: row["policy"], birthDate: row["birth_date"], document: row["document"],
               attachedClinic: row["clinic_id"], district: row["district"], snils: row["snils"], lastName: row["last_name"], firstName: row["first_name"])
    }
}
