import CivilTime
import Foundation
import GRDB
import MISBridge

/// The past weeks of a demo region as a clinic's MIS holds them: every working day's slots, most of
/// them booked through every channel (the front desk's own included), each visit marked visited or
/// missed, some cancelled by the patient, the call centre or the clinic and some of those taken again,
/// and now and then a doctor's day closed. The same for the same seed and day.
public struct DemoHistory: Sendable {
    public var seed: UInt64 = 2027
    /// How many days before today are written.
    public var days = 28

    public init(seed: UInt64 = 2027, days: Int = 28) {
        self.seed = seed
        self.days = days
    }

    /// Writes the past days before `now` (each clinic's own today excluded) into `mis`, whose region
    /// must have no slots on them yet. Returns how many appointments were written.
    @discardableResult
    public func generate(into mis: ReferenceMIS, now: Date) throws -> Int {
        var random = SeededRandom(seed: seed)
        return try mis.database.writer.write { db in
            let people = try DemoPeople(db)
            var written = 0
            var taken: Set<String> = []
            for clinic in try Row.fetchAll(db, sql: "SELECT id, time_zone FROM clinic ORDER BY id") {
                let clinicID: String = clinic["id"]
                let zone = TimeZone(identifier: clinic["time_zone"]) ?? .current
                let today = ProtocolTime.day(now, in: zone)
                var writer = HistoryWriter(db, clinic: clinicID, people: people, today: today, taken: taken, ticketNumber: mis.ticketNumber)
                let holidays = Set(try String.fetchAll(db, sql: "SELECT day FROM holiday WHERE clinic_id = ?", arguments: [clinicID]))
                let doctors = try Row.fetchAll(db, sql: WorkingDay.clinicQuery, arguments: [clinicID]).map(WorkingDay.init)
                let specialties = try Dictionary(Row.fetchAll(db, sql: "SELECT id, specialty_id FROM doctor WHERE clinic_id = ?", arguments: [clinicID])
                    .map { ($0["id"] as String, $0["specialty_id"] as String) }, uniquingKeysWith: { first, _ in first })
                for offset in stride(from: days, through: 1, by: -1) {
                    guard let day = CalendarDay.adding(-offset, to: today), !holidays.contains(day), let midnight = ProtocolTime.startOfDay(day, in: zone) else { continue }
                    for doctor in doctors where doctor.weekday == CalendarDay.weekday(day) {
                        let specialty = specialties[doctor.doctorID] ?? ""
                        let fill = Self.fill(specialty) - Double(random.next(upTo: 15)) / 100
                        let closed = random.chance(1.0 / 60)
                        for minute in doctor.slotStarts {
                            let start = Int(midnight.timeIntervalSince1970) + minute * 60
                            let slot = try writer.slot(doctor: doctor.doctorID, day: day, start: start, minutes: doctor.slotMinutes, closed: closed)
                            guard random.chance(fill) else { continue }
                            written += try writer.book(slot: slot, doctor: doctor.doctorID, specialty: specialty, day: day, start: start, dayClosed: closed, &random)
                        }
                    }
                }
                taken = writer.taken
            }
            return written
        }
    }

    /// The share of a doctor's times booked: district doctors are full, narrow specialists less so.
    private static func fill(_ specialty: String) -> Double {
        switch specialty {
        case "109", "110", "111": 0.95
        case "112", "113", "114": 0.85
        default: 0.75
        }
    }
}

/// Who may come to which doctor of a clinic: the people holding a card there, by the specialty's age,
/// sex and dispensary rules.
private struct DemoPeople {
    struct Person {
        let id: String
        let birthDate: String
        let female: Bool
    }

    private var cardsByClinic: [String: [Person]] = [:]
    private var attachedByClinic: [String: Set<String>] = [:]
    private var dispensary: [String: Set<String>] = [:]
    private var specialties: [String: Row] = [:]

    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT c.clinic_id, p.id, p.birth_date, p.sex FROM card c JOIN patient p ON p.id = c.patient_id ORDER BY c.clinic_id, p.id") {
            cardsByClinic[row["clinic_id"], default: []].append(Person(id: row["id"], birthDate: row["birth_date"], female: (row["sex"] as String) == "female"))
        }
        for row in try Row.fetchAll(db, sql: "SELECT patient_id, clinic_id FROM attachment") {
            attachedByClinic[row["clinic_id"], default: []].insert(row["patient_id"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT patient_id, specialty_id FROM dispensary") {
            dispensary[row["specialty_id"], default: []].insert(row["patient_id"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM specialty") {
            specialties[row["id"]] = row
        }
    }

    /// The people of `clinic` a doctor of `specialty` sees: of the right age (and sex, for a
    /// gynaecologist), attached where the specialty asks it, on the dispensary list where there is one.
    func pool(clinic: String, specialty: String, on day: String) -> [Person] {
        guard let rules = specialties[specialty] else { return [] }
        let minAge: Int? = rules["min_age"], maxAge: Int? = rules["max_age"]
        let attached = (rules["requires_attachment"] as Int) != 0
        let everyone = (cardsByClinic[clinic] ?? []).filter { person in
            let age = Self.age(person.birthDate, on: day)
            return age >= (minAge ?? 0) && age <= (maxAge ?? 150) && (specialty != "114" || person.female)
                && (!attached || attachedByClinic[clinic]?.contains(person.id) == true)
        }
        if (rules["self_booking"] as String) == "dispensary", let listed = dispensary[specialty] {
            let registered = everyone.filter { listed.contains($0.id) }
            if registered.count >= 20 { return registered }
        }
        return everyone
    }

    static func age(_ birthDate: String, on day: String) -> Int {
        let years = (Int(day.prefix(4)) ?? 0) - (Int(birthDate.prefix(4)) ?? 0)
        return day.suffix(5) < birthDate.suffix(5) ? years - 1 : years
    }
}

/// Writes one clinic's past slots and appointments, remembering whom each day already has.
private struct HistoryWriter {
    /// A channel a booking came through, with how often, who acted and how it ends.
    struct Channel {
        let channel: MISChannel
        let weight: Int
        /// Days between booking and visit: (shortest, longest); 0 means the same day.
        let lead: (Int, Int)
        /// The share of visits the patient did not come to.
        let missed: Double
    }

    static let channels: [Channel] = [
        Channel(channel: .frontDesk, weight: 34, lead: (0, 10), missed: 0.05),
        Channel(channel: .internet, weight: 24, lead: (1, 14), missed: 0.12),
        Channel(channel: .callCentre, weight: 20, lead: (0, 10), missed: 0.09),
        Channel(channel: .kiosk, weight: 11, lead: (0, 7), missed: 0.06),
        Channel(channel: .federalPortal, weight: 8, lead: (2, 14), missed: 0.14),
        Channel(channel: .doctor, weight: 3, lead: (7, 14), missed: 0.04),
    ]
    static let operators = ["ivanova", "smirnova", "kuznetsova", "popov", "sokolova", "orlov"]
    static let clinicReasons = ["Врач на больничном", "Врач на учёбе", "Изменение расписания"]
    static let patientReasons = ["Не смогу прийти", "Выздоровел", "Запишусь к другому врачу"]

    let db: Database
    let clinic: String
    let people: DemoPeople
    /// The clinic's today: whose age counts (a few weeks' difference changes no one's pool that matters).
    let today: String
    let ticketNumber: @Sendable (String, Int64) -> String
    /// Day, person and specialty of every held booking written so far, in every clinic (the rule of
    /// one visit of a specialty a day holds across the region).
    private(set) var taken: Set<String>
    private var pools: [String: [DemoPeople.Person]] = [:]

    init(_ db: Database, clinic: String, people: DemoPeople, today: String, taken: Set<String>, ticketNumber: @escaping @Sendable (String, Int64) -> String) {
        self.db = db
        self.clinic = clinic
        self.people = people
        self.today = today
        self.taken = taken
        self.ticketNumber = ticketNumber
    }

    func slot(doctor: String, day: String, start: Int, minutes: Int, closed: Bool) throws -> Int64 {
        try db.cachedStatement(sql: "INSERT INTO slot (doctor_id, clinic_id, start, \"end\", day, closed) VALUES (?, ?, ?, ?, ?, ?)")
            .execute(arguments: [doctor, clinic, start, start + minutes * 60, day, closed])
        return db.lastInsertedRowID
    }

    /// Books `slot` for someone of the doctor's pool and decides how it ended; a cancelled booking
    /// is sometimes taken again by someone else. Returns how many appointments it wrote.
    mutating func book(slot: Int64, doctor: String, specialty: String, day: String, start: Int, dayClosed: Bool, _ random: inout SeededRandom) throws -> Int {
        if pools[specialty] == nil { pools[specialty] = people.pool(clinic: clinic, specialty: specialty, on: today) }
        guard let first = pick(specialty, on: day, &random) else { return 0 }
        let channel = Self.channel(&random)
        let created = Self.created(before: start, lead: channel.lead, &random)
        if dayClosed {
            try insert(slot: slot, patient: first, doctor: doctor, specialty: specialty, day: day, channel: channel, created: created,
                       ending: .cancelledBy(.clinic, at: created + (start - created) / 2, reason: Self.clinicReasons[0], actor: nil), &random)
            return 1
        }
        guard random.chance(0.09) else {
            try insert(slot: slot, patient: first, doctor: doctor, specialty: specialty, day: day, channel: channel, created: created, ending: .visit, &random)
            return 1
        }
        let cancelled = created + Int(Double(start - created) * Double(10 + random.next(upTo: 85)) / 100)
        try insert(slot: slot, patient: first, doctor: doctor, specialty: specialty, day: day, channel: channel, created: created,
                   ending: cancellation(of: channel, doctor: doctor, at: cancelled, &random), &random)
        guard start - cancelled > 7_200, random.chance(0.4), let second = pick(specialty, on: day, &random) else { return 1 }
        let again = Self.channel(&random)
        let taken = cancelled + Int(Double(start - cancelled) * Double(5 + random.next(upTo: 80)) / 100)
        try insert(slot: slot, patient: second, doctor: doctor, specialty: specialty, day: day, channel: again, created: taken, ending: .visit, &random)
        return 2
    }

    /// How a booking ended.
    enum Ending {
        case visit
        case cancelledBy(MISChannel, at: Int, reason: String?, actor: String?)
    }

    private func insert(slot: Int64, patient: String, doctor: String, specialty: String, day: String, channel: Channel, created: Int, ending: Ending,
                        _ random: inout SeededRandom) throws {
        let status: String, cancelledAt: Int?, cancelledBy: String?, reason: String?, cancelledActor: String?
        switch ending {
        case .visit:
            status = random.chance(channel.missed) ? "missed" : "visited"
            (cancelledAt, cancelledBy, reason, cancelledActor) = (nil, nil, nil, nil)
        case .cancelledBy(let who, let at, let why, let actor):
            status = "cancelled"
            (cancelledAt, cancelledBy, reason, cancelledActor) = (at, who.rawValue, why, actor)
        }
        try db.cachedStatement(sql: """
            INSERT INTO appointment (clinic_id, slot_id, patient_id, doctor_id, specialty_id, day, status, channel, ticket, created_at, actor,
                                     cancelled_at, cancelled_by, cancel_reason, cancelled_actor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [clinic, slot, patient, doctor, specialty, day, status, channel.channel.rawValue, created,
                                     actor(channel.channel, doctor: doctor, &random), cancelledAt, cancelledBy, reason, cancelledActor])
        let id = db.lastInsertedRowID
        try db.cachedStatement(sql: "UPDATE appointment SET ticket = ? WHERE id = ?").execute(arguments: [ticketNumber(clinic, id), id])
    }

    /// Someone of the specialty's pool who has no visit of that specialty that day yet.
    private mutating func pick(_ specialty: String, on day: String, _ random: inout SeededRandom) -> String? {
        guard let pool = pools[specialty], !pool.isEmpty else { return nil }
        for _ in 0..<8 {
            let person = pool[random.next(upTo: pool.count)].id
            if taken.insert(day + "/" + person + "/" + specialty).inserted { return person }
        }
        return nil
    }

    private static func channel(_ random: inout SeededRandom) -> Channel {
        var roll = random.next(upTo: channels.reduce(0) { $0 + $1.weight })
        for channel in channels {
            if roll < channel.weight { return channel }
            roll -= channel.weight
        }
        return channels[0]
    }

    /// When a booking was made: on the same day an hour or a few before, else `lead` days before, in office hours.
    private static func created(before start: Int, lead: (Int, Int), _ random: inout SeededRandom) -> Int {
        let days = lead.0 + random.next(upTo: lead.1 - lead.0 + 1)
        guard days > 0 else { return start - 1_200 - random.next(upTo: 4 * 3_600) }
        return start - days * 86_400 - random.next(upTo: 8 * 3_600)
    }

    /// Who cancelled a booking of `channel`: the patient themselves where the channel lets them,
    /// else (and sometimes anyway) the call centre on the phone, or the clinic.
    private func cancellation(of channel: Channel, doctor: String, at moment: Int, _ random: inout SeededRandom) -> Ending {
        let selfService: Set<MISChannel> = [.internet, .kiosk, .federalPortal]
        let roll = random.next(upTo: 100)
        if selfService.contains(channel.channel), roll < 55 {
            return .cancelledBy(channel.channel, at: moment, reason: random.chance(0.5) ? random.pick(Self.patientReasons) : nil,
                                actor: actor(channel.channel, doctor: doctor, &random))
        }
        if roll < 80 {
            return .cancelledBy(.callCentre, at: moment, reason: random.pick(Self.patientReasons), actor: "operator:" + random.pick(Self.operators))
        }
        return .cancelledBy(.clinic, at: moment, reason: random.pick(Self.clinicReasons), actor: nil)
    }

    /// Who acted within the channel, as the protocol names it.
    private func actor(_ channel: MISChannel, doctor: String, _ random: inout SeededRandom) -> String? {
        switch channel {
        case .frontDesk: "desk:\(clinic)-\(1 + random.next(upTo: 3))"
        case .internet: "patient"
        case .callCentre: "operator:" + random.pick(Self.operators)
        case .kiosk: "kiosk:K-\(clinic)-\(1 + random.next(upTo: 2))"
        case .doctor: "doctor:" + doctor
        default: nil
        }
    }
}
