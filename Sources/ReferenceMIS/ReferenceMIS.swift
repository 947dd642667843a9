import CivilTime
import Foundation
import GRDB
import MISBridge
import SQLiteRows

/// The reference MIS: answers every protocol operation from its database. Clock-injected: every
/// operation takes `now`, so tests and the conformance check control time.
public struct ReferenceMIS: Sendable {
    public let database: MISDatabase
    /// How many days ahead the schedule is published.
    public var horizonDays = 14
    /// Local hour at which the next day of the horizon opens.
    public var openingHour = 7
    /// The ticket number this MIS gives an appointment of a clinic (by default `<clinic>-<6 digits>`).
    public var ticketNumber: @Sendable (_ clinic: String, _ appointment: Int64) -> String = { clinic, id in "\(clinic)-\(String(format: "%06d", id))" }

    public init(database: MISDatabase) {
        self.database = database
    }

    // MARK: Schedule

    /// Creates the slots of every working day from today to the end of the horizon, in each clinic's
    /// zone; idempotent, so it can run at start-up and every few minutes. A day once opened is
    /// remembered and left alone: a run writes only the days that have come into the horizon since.
    public func openSchedule(now: Date) throws {
        try database.writer.write { db in
            let insertSlot = try db.cachedStatement(sql: "INSERT OR IGNORE INTO slot (doctor_id, clinic_id, start, \"end\", day) VALUES (?, ?, ?, ?, ?)")
            let markOpened = try db.cachedStatement(sql: "INSERT INTO opened_day (clinic_id, day) VALUES (?, ?)")
            let clinics = try Row.fetchAll(db.cachedStatement(sql: "SELECT id, time_zone FROM clinic"))
            for clinic in clinics {
                let clinicID: String = clinic["id"]
                let zone = TimeZone(identifier: clinic["time_zone"]) ?? .current
                let today = ProtocolTime.day(now, in: zone)
                let hour = Int(ProtocolTime.string(now, in: zone).dropFirst(11).prefix(2)) ?? 0
                let days = hour >= openingHour ? horizonDays : horizonDays - 1
                let holidays = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT day FROM holiday WHERE clinic_id = ?"), arguments: [clinicID]))
                let opened = Set(try String.fetchAll(db.cachedStatement(sql: "SELECT day FROM opened_day WHERE clinic_id = ? AND day >= ?"), arguments: [clinicID, today]))
                let doctors = try Row.fetchAll(db.cachedStatement(sql: WorkingDay.clinicQuery), arguments: [clinicID]).map(WorkingDay.init)
                for offset in 0..<days {
                    guard let midnight = ProtocolTime.startOfDay(today, in: zone)?.addingTimeInterval(TimeInterval(offset * 86_400 + 7_200)) else { continue }
                    let day = ProtocolTime.day(midnight, in: zone)
                    guard !holidays.contains(day), !opened.contains(day), let start = ProtocolTime.startOfDay(day, in: zone) else { continue }
                    try markOpened.execute(arguments: [clinicID, day])
                    let weekday = CalendarDay.weekday(day)
                    for doctor in doctors where doctor.weekday == weekday {
                        for minute in doctor.slotStarts {
                            let slotStart = Int(start.timeIntervalSince1970) + minute * 60
                            try insertSlot.execute(arguments: [doctor.doctorID, clinicID, slotStart, slotStart + doctor.slotMinutes * 60, day])
                        }
                    }
                }
            }
        }
    }

    // MARK: Reference data

    public func districts() throws -> [MISDistrict] {
        try database.writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM district ORDER BY id")).map { MISDistrict(id: $0["id"], name: $0["name"], okato: $0["okato"]) }
        }
    }

    public func clinics(district: String?) throws -> [MISClinic] {
        try readOneStatement { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM clinic WHERE ? IS NULL OR district_id = ? ORDER BY id"), arguments: [district, district]).map(Self.clinic)
        }
    }

    public func clinic(_ id: String) throws -> MISClinic {
        try readOneStatement { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM clinic WHERE id = ?"), arguments: [id]) else {
                throw MISFailure(.badRequest, message: "Неизвестная поликлиника")
            }
            return Self.clinic(row)
        }
    }

    /// A read of a single SELECT, atomic in SQLite by itself: no read transaction around it (the
    /// gateway asks for the clinic on every call).
    private func readOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writer.unsafeRead(body)
    }

    static func clinic(_ row: Row) -> MISClinic {
        MISClinic(id: row["id"], districtID: row["district_id"], fullName: row["full_name"], shortName: row["short_name"], address: row["address"], phone: row["phone"], oid: row["oid"], timeZone: row["time_zone"],
                  approves: (row["approves"] as String? ?? "").split(separator: " ").compactMap { MISChannel(rawValue: String($0)) })
    }

    private static let freeSlot = "s.closed = 0 AND s.start > :now AND NOT EXISTS (SELECT 1 FROM appointment a WHERE a.slot_id = s.id AND a.status IN ('active', 'reserved'))"

    public func specialties(clinic: String, now: Date) throws -> [MISSpecialty] {
        _ = try self.clinic(clinic)
        return try database.writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT sp.*, COUNT(s.id) AS free, MIN(s.day) AS nearest, MAX(s.day) AS last
                FROM specialty sp JOIN doctor d ON d.specialty_id = sp.id AND d.clinic_id = :clinic
                LEFT JOIN slot s ON s.doctor_id = d.id AND \(Self.freeSlot)
                GROUP BY sp.id ORDER BY sp.name
                """), arguments: ["clinic": clinic, "now": Int(now.timeIntervalSince1970)]).map { row in
                MISSpecialty(
                    id: row["id"], name: row["name"], federalCode: row["federal_code"], freeCount: row["free"], nearestDate: row["nearest"],
                    lastDate: row["last"], selfBooking: MISSelfBooking(rawValue: row["self_booking"]) ?? .referral,
                    minimumAge: row["min_age"], maximumAge: row["max_age"], attachedOnly: (row["requires_attachment"] as Int) != 0
                )
            }
        }
    }

    public func doctors(clinic: String, specialty: String, now: Date) throws -> [MISDoctor] {
        _ = try self.clinic(clinic)
        return try database.writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT d.*, COUNT(s.id) AS free, MIN(s.day) AS nearest, MAX(s.day) AS last
                FROM doctor d LEFT JOIN slot s ON s.doctor_id = d.id AND \(Self.freeSlot)
                WHERE d.clinic_id = :clinic AND d.specialty_id = :specialty
                GROUP BY d.id ORDER BY d.name
                """), arguments: ["clinic": clinic, "specialty": specialty, "now": Int(now.timeIntervalSince1970)]).map { row in
                MISDoctor(id: row["id"], name: row["name"], specialtyID: row["specialty_id"], district: row["district"], room: row["room"], freeCount: row["free"], nearestDate: row["nearest"], lastDate: row["last"])
            }
        }
    }

    public func availableDates(clinic: String, doctor: String, from: String, to: String, now: Date) throws -> [MISAvailableDate] {
        try checkRange(from, to)
        return try database.writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT s.day, COUNT(*) AS free FROM slot s
                WHERE s.clinic_id = :clinic AND s.doctor_id = :doctor AND s.day BETWEEN :from AND :to AND \(Self.freeSlot)
                GROUP BY s.day ORDER BY s.day
                """), arguments: ["clinic": clinic, "doctor": doctor, "from": from, "to": to, "now": Int(now.timeIntervalSince1970)])
                .map { MISAvailableDate(day: $0["day"], freeCount: $0["free"]) }
        }
    }

    public func availableAppointments(clinic: String, doctor: String, from: String, to: String, now: Date) throws -> [MISSlot] {
        try checkRange(from, to)
        let info = try self.clinic(clinic)
        return try readOneStatement { db in
            try Row.decoded(db.cachedStatement(sql: """
                SELECT s.id, s.start, s."end", d.room FROM slot s JOIN doctor d ON d.id = s.doctor_id
                WHERE s.clinic_id = :clinic AND s.doctor_id = :doctor AND s.day BETWEEN :from AND :to AND \(Self.freeSlot)
                ORDER BY s.start
                """), arguments: ["clinic": clinic, "doctor": doctor, "from": from, "to": to, "now": Int(now.timeIntervalSince1970)]) { row in
                MISSlot(
                    id: String(row["id"] as Int64), start: Date(timeIntervalSince1970: TimeInterval(row["start"] as Int)),
                    end: Date(timeIntervalSince1970: TimeInterval(row["end"] as Int)), room: row["room"], address: info.address
                )
            }
        }
    }

    func checkRange(_ from: String, _ to: String) throws {
        guard ProtocolTime.isDay(from), ProtocolTime.isDay(to), from <= to,
            let start = ProtocolTime.date(from: from + "T00:00:00Z"), let end = ProtocolTime.date(from: to + "T00:00:00Z"),
            end.timeIntervalSince(start) <= 31 * 86_400
        else { throw MISFailure(.badRequest, message: "Период задан неверно: нужны даты ГГГГ-ММ-ДД, не больше 31 дня") }
    }

    // MARK: Patients

    /// The patient's card in `clinic`; not found when the patient has no card there.
    public func checkPatient(clinic: String, _ query: MISPatientQuery) throws -> MISPatient {
        _ = try self.clinic(clinic)
        return try database.writer.read { db in
            let patient = try Self.findPatient(db, query)
            guard try Self.hasCard(db, patient: patient.id, clinic: clinic) else {
                throw MISFailure(.patientNotFound, message: "В этой поликлинике карты пациента нет")
            }
            return patient
        }
    }

    /// CheckPatient without a clinic: the patient's card in each clinic of this MIS where there is one.
    public func patientCards(_ query: MISPatientQuery) throws -> [MISClinicCard] {
        try database.writer.read { db in
            let patient = try Self.findPatient(db, query)
            return try String.fetchAll(db.cachedStatement(sql: "SELECT clinic_id FROM card WHERE patient_id = ? ORDER BY clinic_id"), arguments: [patient.id])
                .map { MISClinicCard(clinic: $0, patient: patient) }
        }
    }

    /// SearchPatients: the people matching one key, at most `MISPeople.limit` of them, in a stable
    /// order, each with every card they hold in this MIS.
    public func searchPatients(_ query: MISPersonQuery) throws -> MISPeople {
        try database.writer.read { db in
            let limit = MISPeople.limit + 1
            let rows: [Row]
            switch query {
            case .policy(let policy):
                rows = try Row.fetchAll(db, sql: "SELECT * FROM patient WHERE replace(policy, ' ', '') = ? ORDER BY id LIMIT ?", arguments: [policy.replacingOccurrences(of: " ", with: ""), limit])
            case .snils(let snils):
                rows = try Row.fetchAll(db, sql: "SELECT * FROM patient WHERE snils = ? ORDER BY id LIMIT ?", arguments: [snils.filter(\.isNumber), limit])
            case .document(let document):
                rows = try Row.fetchAll(db, sql: "SELECT * FROM patient WHERE replace(replace(upper(document), ' ', ''), '-', '') = ? ORDER BY id LIMIT ?",
                                        arguments: [Self.normalized(document), limit])
            case .name(let lastName, let firstName, let birthDate):
                // SQLite lowers Latin letters only: the names are compared here, with ё read as е.
                rows = Array(try Row.fetchAll(db, sql: "SELECT * FROM patient WHERE birth_date = ? ORDER BY id", arguments: [birthDate]).filter { row in
                    Self.folded(row["last_name"]) == Self.folded(lastName) && Self.folded(row["first_name"]) == Self.folded(firstName)
                }.prefix(limit))
            }
            let people = try rows.prefix(MISPeople.limit).map { row -> MISPerson in
                let patient = try Self.patient(db, row)
                let clinics = try String.fetchAll(db.cachedStatement(sql: "SELECT clinic_id FROM card WHERE patient_id = ? ORDER BY clinic_id"), arguments: [patient.id])
                return MISPerson(policy: row["policy"], lastName: patient.lastName, firstName: patient.firstName, middleName: patient.middleName,
                                 birthDate: patient.birthDate, sex: patient.sex, address: row["address"], maskedDocument: Self.masked(row["document"]),
                                 attachedClinicID: patient.attachedClinicID, attachedDistrict: patient.attachedDistrict,
                                 cards: clinics.map { MISPersonCard(clinic: $0, patientID: patient.id) }, dispensarySpecialtyIDs: patient.dispensarySpecialtyIDs)
            }
            return MISPeople(people: people, more: rows.count > MISPeople.limit)
        }
    }

    /// A document as a search shows it: the first two and the last three letters or digits kept, the rest hidden.
    static func masked(_ document: String) -> String {
        let total = document.filter { $0.isLetter || $0.isNumber }.count
        var seen = 0
        return String(document.map { character in
            guard character.isLetter || character.isNumber else { return character }
            seen += 1
            return seen <= 2 || seen > total - 3 ? character : "*"
        })
    }

    /// A name compared without case, ё as е.
    static func folded(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "ё", with: "е")
    }

    static func hasCard(_ db: Database, patient: String, clinic: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM card WHERE patient_id = ? AND clinic_id = ?"), arguments: [patient, clinic]) != nil
    }

    private static func findPatient(_ db: Database, _ query: MISPatientQuery) throws -> MISPatient {
        // An old policy's series and number are matched together: «77 940189» and «77940189» are one policy.
        let compact = query.policy.replacingOccurrences(of: " ", with: "")
        var rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM patient WHERE replace(policy, ' ', '') = ? AND birth_date = ?"), arguments: [compact, query.birthDate])
        if let document = query.document { rows = rows.filter { Self.normalized($0["document"]) == Self.normalized(document) } }
        if let snils = query.snils { rows = rows.filter { Self.normalized($0["snils"] ?? "") == Self.normalized(snils) } }
        if let lastName = query.lastName { rows = rows.filter { ($0["last_name"] as String).lowercased() == lastName.lowercased() } }
        guard !rows.isEmpty else { throw MISFailure(.patientNotFound, message: "Пациент с таким полисом и датой рождения не найден") }
        guard rows.count == 1 else { throw MISFailure(.severalPatientsFound, message: "Найдено несколько карт: уточните номер документа") }
        return try Self.patient(db, rows[0])
    }

    static func patient(_ db: Database, _ row: Row) throws -> MISPatient {
        let id: String = row["id"]
        let attachment = try Row.fetchOne(db.cachedStatement(sql: "SELECT clinic_id, district FROM attachment WHERE patient_id = ? LIMIT 1"), arguments: [id])
        let dispensary = try String.fetchAll(db.cachedStatement(sql: "SELECT specialty_id FROM dispensary WHERE patient_id = ? ORDER BY specialty_id"), arguments: [id])
        return MISPatient(
            id: id, lastName: row["last_name"], firstName: row["first_name"], middleName: row["middle_name"], birthDate: row["birth_date"],
            sex: row["sex"], attachedClinicID: attachment?["clinic_id"], attachedDistrict: attachment?["district"], dispensarySpecialtyIDs: dispensary
        )
    }

    static func normalized(_ text: String) -> String {
        text.uppercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "№" }
    }
}

/// Day arithmetic on `YYYY-MM-DD` strings.
enum CalendarDay {
    /// 0 is Monday.
    static func weekday(_ day: String) -> Int {
        let days = Int(ProtocolTime.date(from: day + "T00:00:00Z")!.timeIntervalSince1970 / 86_400)
        return CivilDate(daysSinceEpoch: days).weekday
    }

    /// The day `offset` days after `day` (before, when negative); nil for a day that is not `YYYY-MM-DD`.
    static func adding(_ offset: Int, to day: String) -> String? {
        CivilDate.day(day, plus: offset)
    }
}
