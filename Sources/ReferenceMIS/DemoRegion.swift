import Booking
import Foundation
import GRDB
import MISBridge

/// Fills an empty reference MIS with a realistic region, the same for the same seed.
public struct DemoRegion: Sendable {
    public var seed: UInt64 = 2026
    public var patients: Int = 20_000
    /// Doctors a clinic has: ten, or more (the clinic's mix of specialties repeated) for a bigger region.
    public var doctorsPerClinic = 10
    /// Called with (done, total) while patients are written, for a progress display.
    public var progress: (@Sendable (Int, Int) -> Void)?

    public init(seed: UInt64 = 2026, patients: Int = 20_000, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.seed = seed
        self.patients = patients
        self.progress = progress
    }

    /// The specialties of the demo: id, name, federal code, self-booking class, ages, attachment needed.
    static let specialties: [(id: String, name: String, code: String, booking: String, minAge: Int?, maxAge: Int?, attached: Bool)] = [
        ("109", "Терапевт участковый", "76", "open", 18, nil, true),
        ("110", "Педиатр участковый", "68", "open", nil, 17, true),
        ("111", "Врач общей практики (семейный врач)", "16", "open", nil, nil, true),
        ("112", "Стоматолог-терапевт", "88", "open", nil, nil, false),
        ("113", "Хирург", "92", "open", nil, nil, false),
        ("114", "Акушер-гинеколог", "2", "open", 14, nil, false),
        ("115", "Кардиолог", "23", "dispensary", 18, nil, false),
        ("116", "Эндокринолог", "97", "dispensary", nil, nil, false),
        ("117", "Невролог", "53", "dispensary", nil, nil, false),
        ("118", "Пульмонолог", "72", "dispensary", nil, nil, false),
        ("119", "Гастроэнтеролог", "12", "dispensary", nil, nil, false),
        ("120", "Ревматолог", "75", "dispensary", nil, nil, false),
        ("121", "Нефролог", "55", "dispensary", nil, nil, false),
        ("122", "Офтальмолог", "65", "referral", nil, nil, false),
        ("123", "Оториноларинголог", "62", "referral", nil, nil, false),
        ("124", "Уролог", "95", "referral", nil, nil, false),
        ("125", "Дерматовенеролог", "14", "referral", nil, nil, false),
        ("126", "Онколог", "60", "referral", nil, nil, false),
        ("127", "Травматолог-ортопед", "93", "referral", nil, nil, false),
        ("128", "Аллерголог-иммунолог", "3", "referral", nil, nil, false),
    ]

    static let districts = [("1", "Центральный район", "65401000000"), ("2", "Северный район", "65401370000"), ("3", "Заречный район", "65401365000")]

    /// The clinic that confirms its online and kiosk bookings before they become appointments.
    public static let approvals: (clinic: String, channels: [MISChannel]) = ("106", [.internet, .kiosk])

    /// Eight clinics; one in another time zone (a branch across the regional border).
    static let clinics: [(id: String, district: String, full: String, short: String, address: String, phone: String, zone: String)] = [
        ("101", "1", "ГАУЗ «Городская поликлиника № 1»", "Поликлиника № 1", "ул. Ленина, 12", "+7 495 101-00-01", "Europe/Moscow"),
        ("102", "1", "ГБУЗ «Городская поликлиника № 2»", "Поликлиника № 2", "пр. Мира, 40", "+7 495 101-00-02", "Europe/Moscow"),
        ("103", "1", "ГБУЗ «Детская городская поликлиника № 3»", "Детская поликлиника № 3", "ул. Садовая, 7", "+7 495 101-00-03", "Europe/Moscow"),
        ("104", "2", "ГБУЗ «Северная районная больница», поликлиника", "Северная поликлиника", "ул. Заводская, 3", "+7 495 202-00-04", "Europe/Moscow"),
        ("105", "2", "ГБУЗ «Стоматологическая поликлиника № 5»", "Стоматология № 5", "ул. Гагарина, 18", "+7 495 202-00-05", "Europe/Moscow"),
        ("106", "3", "ГБУЗ «Заречная центральная районная больница»", "Заречная ЦРБ", "ул. Набережная, 1", "+7 495 303-00-06", "Europe/Moscow"),
        ("107", "3", "ГБУЗ «Поликлиника № 7» & филиал «Луч»", "Поликлиника № 7", "ул. Строителей, 25", "+7 495 303-00-07", "Europe/Moscow"),
        ("108", "3", "ГАУЗ «Восточная поликлиника» (филиал в Екатеринбурге)", "Восточная поликлиника", "г. Екатеринбург, ул. Малышева, 90", "+7 343 404-00-08", "Asia/Yekaterinburg"),
    ]

    /// Writes the region into `database`, which must be empty.
    /// `today` dates the demo referrals (valid for 60 days from it).
    public func generate(into database: MISDatabase, today: Date = Date()) throws {
        var random = SeededRandom(seed: seed)
        try database.writer.write { db in
            for district in Self.districts {
                try db.execute(sql: "INSERT INTO district VALUES (?, ?, ?)", arguments: [district.0, district.1, district.2])
            }
            for (index, clinic) in Self.clinics.enumerated() {
                try db.execute(
                    sql: "INSERT INTO clinic (id, district_id, full_name, short_name, address, phone, oid, time_zone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [clinic.id, clinic.district, clinic.full, clinic.short, clinic.address, clinic.phone, "1.2.643.5.1.13.13.12.2.77.\(7_100 + index)", clinic.zone]
                )
            }
            try db.execute(sql: "UPDATE clinic SET approves = ? WHERE id = ?", arguments: [Self.approvals.channels.map(\.rawValue).joined(separator: " "), Self.approvals.clinic])
            for specialty in Self.specialties {
                try db.execute(
                    sql: "INSERT INTO specialty VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [specialty.id, specialty.name, specialty.code, specialty.booking, specialty.minAge, specialty.maxAge, specialty.attached]
                )
            }
            try insertDoctors(db, &random)
        }
        try insertPatients(database, &random)
        try insertCards(database)
        try insertReferrals(database, today: today)
        try insertPhones(database)
    }

    /// Mobile phones the clinics wrote down: nine in ten cards have one (a child's is a parent's).
    /// Drawn from their own sequence, so that the people and everything after them stay as they were.
    private func insertPhones(_ database: MISDatabase) throws {
        var random = SeededRandom(seed: seed &+ 1)
        try database.writer.write { db in
            let update = try db.cachedStatement(sql: "UPDATE patient SET phone = ? WHERE id = ?")
            for id in try String.fetchAll(db, sql: "SELECT id FROM patient ORDER BY id") where random.chance(0.9) {
                let digits = (0..<7).map { _ in String(random.next(upTo: 10)) }.joined()
                let phone = "+7 9\(10 + random.next(upTo: 90)) \(digits.prefix(3))-\(digits.dropFirst(3).prefix(2))-\(digits.suffix(2))"
                try update.execute(arguments: [phone, id])
            }
        }
    }

    /// Referrals a district doctor wrote: the first 40 adults attached to each clinic (by card number)
    /// are sent to the first specialty of that clinic open only by referral, valid 60 days from
    /// `today`; every tenth of them was written long ago and has expired. Numbers read «101-000001».
    private func insertReferrals(_ database: MISDatabase, today: Date) throws {
        let validUntil = ProtocolTime.day(today.addingTimeInterval(60 * 86_400), in: TimeZone(identifier: "Europe/Moscow")!)
        let expired = ProtocolTime.day(today.addingTimeInterval(-30 * 86_400), in: TimeZone(identifier: "Europe/Moscow")!)
        try database.writer.write { db in
            for clinic in Self.clinics.map(\.id) {
                guard let specialty = try String.fetchOne(db, sql: """
                    SELECT sp.id FROM specialty sp JOIN doctor d ON d.specialty_id = sp.id
                    WHERE d.clinic_id = ? AND sp.self_booking = 'referral' ORDER BY sp.id LIMIT 1
                    """, arguments: [clinic]) else { continue }
                let patients = try String.fetchAll(db, sql: """
                    SELECT p.id FROM patient p JOIN attachment a ON a.patient_id = p.id
                    WHERE a.clinic_id = ? AND p.birth_date < '2000-01-01' AND p.id NOT LIKE '%D' ORDER BY p.id LIMIT 40
                    """, arguments: [clinic])
                for (index, patient) in patients.enumerated() {
                    let number = "\(clinic)-\(String(format: "%06d", index + 1))"
                    try db.execute(
                        sql: "INSERT INTO referral (number, number_key, patient_id, clinic_id, specialty_id, issued_by, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        arguments: [number, ReferralNumber.matchingKey(number), patient, clinic, specialty, clinic, index % 10 == 9 ? expired : validUntil]
                    )
                }
            }
        }
    }

    /// Where patients have cards besides their attached clinic: everyone at the dental clinic, children
    /// attached to a general clinic at the children's clinic too, and every other adult (by card number)
    /// at the second general clinic of their district, where they once went.
    private func insertCards(_ database: MISDatabase) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO card SELECT patient_id, clinic_id FROM attachment;
                INSERT OR IGNORE INTO card SELECT id, '105' FROM patient;
                INSERT OR IGNORE INTO card SELECT a.patient_id, '103' FROM attachment a JOIN patient p ON p.id = a.patient_id
                    WHERE p.birth_date >= '2009-01-01' AND a.clinic_id <> '103';
                INSERT OR IGNORE INTO card SELECT a.patient_id, CASE a.clinic_id WHEN '101' THEN '102' WHEN '102' THEN '101' WHEN '106' THEN '107' ELSE '106' END
                    FROM attachment a JOIN patient p ON p.id = a.patient_id
                    WHERE p.birth_date < '2009-01-01' AND a.clinic_id IN ('101', '102', '106', '107') AND CAST(substr(p.id, -1) AS INTEGER) % 2 = 0;
                """)
        }
    }

    private func insertDoctors(_ db: Database, _ random: inout SeededRandom) throws {
        var number = 3_000
        for clinic in Self.clinics {
            // Children's and dental clinics have their own staff; others a general mix.
            let staff: [String]
            switch clinic.id {
            case "103": staff = ["110", "110", "110", "110", "112", "113", "117", "122", "123", "127"]
            case "105": staff = ["112", "112", "112", "112", "112", "112", "113", "112", "112", "112"]
            default:
                let narrow = Self.specialties.map(\.id).filter { Int($0)! >= 115 }
                staff = ["109", "109", "109", "111", "112", "113", "114"] + (0..<3).map { _ in random.pick(narrow) }
            }
            let everyone = (0..<max(doctorsPerClinic, staff.count)).map { staff[$0 % staff.count] }
            for (position, specialty) in everyone.enumerated() {
                number += 1
                let id = String(number)
                let sex = random.chance(0.7) ? Sex.female : .male
                let name = "\(Names.surname(sex, &random)) \(random.pick(Names.firstNames(sex))) \(Names.patronymic(sex, &random))"
                let district: String? = ["109", "110", "111"].contains(specialty) ? String(position + 1) : nil
                let minutes = specialty == "112" ? 30 : (Int(specialty)! >= 115 ? 20 : 15)
                try db.execute(
                    sql: "INSERT INTO doctor VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [id, clinic.id, specialty, name, district, String(100 + position * 3 + random.next(upTo: 3)), minutes]
                )
                // Mornings or afternoons, alternating by week day; Saturdays for some; a lunch break.
                let morning = random.chance(0.5)
                for weekday in 0..<6 {
                    if weekday == 5 && !random.chance(0.3) { continue }
                    let early = (weekday % 2 == 0) == morning
                    let start = early ? 8 * 60 : 13 * 60
                    let end = early ? 14 * 60 : 19 * 60 + 30
                    let lunch = early ? 11 * 60 : 16 * 60
                    try db.execute(
                        sql: "INSERT INTO working_pattern VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [id, weekday, start, end, lunch, lunch + 30]
                    )
                }
            }
        }
    }

    private func insertPatients(_ database: MISDatabase, _ random: inout SeededRandom) throws {
        let batch = 5_000
        var written = 0
        let narrow = Self.specialties.filter { $0.booking == "dispensary" }.map(\.id)
        while written < patients {
            let count = min(batch, patients - written)
            var generated: [GeneratedPatient] = []
            for offset in 0..<count {
                generated.append(GeneratedPatient.make(number: written + offset, random: &random, dispensaryChoices: narrow))
            }
            try database.writer.write { db in
                for patient in generated { try patient.insert(db) }
            }
            written += count
            progress?(written, patients)
        }
        // Namesakes: duplicate cards with the same policy, name and birth date, told apart only by the
        // identity document (the classic MIS data error the registry must cope with).
        try database.writer.write { db in
            for index in stride(from: 7, to: min(patients, 7 + 5 * 997), by: 997) {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM patient WHERE id = ?", arguments: [GeneratedPatient.id(index)]) else { continue }
                let twin = GeneratedPatient.id(index) + "D"
                let document: String = row["document"]
                try db.execute(
                    sql: "INSERT INTO patient (\(GeneratedPatient.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [twin, row["policy"], row["birth_date"], row["last_name"], row["first_name"], row["middle_name"], row["sex"],
                                String(document.dropLast(3)) + "999", nil, row["address"]]
                )
                try db.execute(sql: "INSERT INTO attachment SELECT ?, clinic_id, district FROM attachment WHERE patient_id = ?", arguments: [twin, GeneratedPatient.id(index)])
            }
        }
    }
}

enum Sex: String {
    case male, female
}

/// One synthetic patient.
struct GeneratedPatient {
    let id: String
    let policy: String
    let birthDate: String
    let lastName: String
    let firstName: String
    let middleName: String
    let sex: Sex
    let document: String
    let snils: String
    let address: String
    let clinicID: String
    let district: String
    let dispensary: [String]

    static func id(_ number: Int) -> String { "P\(100_000 + number)" }

    /// The columns a generated patient fills, in the order `insert` gives them.
    static let columns = "id, policy, birth_date, last_name, first_name, middle_name, sex, document, snils, address"

    static func make(number: Int, random: inout SeededRandom, dispensaryChoices: [String]) -> GeneratedPatient {
        let sex: Sex = random.chance(0.54) ? .female : .male
        let year = 1930 + random.next(upTo: 96)
        let month = 1 + random.next(upTo: 12)
        let day = 1 + random.next(upTo: 28)
        let birthDate = String(format: "%04d-%02d-%02d", year, month, day)
        let isChild = year >= 2009
        let first15 = (0..<15).map { index in index == 0 ? String(1 + random.next(upTo: 9)) : String(random.next(upTo: 10)) }.joined()
        let unified = first15 + String(PolicyNumber.checkDigit(forFirst15: Array(first15)))
        // One in ten still carries an old-style policy: series and number.
        let policy = random.chance(0.1) ? "\(random.pick(["ЕАА", "ЕАБ", "77", "5001"])) \(100_000 + random.next(upTo: 900_000))" : unified
        let snilsBody = String(format: "%09d", 2_000_000 + random.next(upTo: 997_000_000))
        let snils = snilsBody + String(format: "%02d", SNILS.checksum(forFirst9: Array(snilsBody)))
        let document = isChild
            ? "II-\(random.pick(["МЮ", "АК", "ЕР"])) \(100_000 + random.next(upTo: 900_000))"
            : "\(45 + random.next(upTo: 50)) \(10 + random.next(upTo: 13)) \(100_000 + random.next(upTo: 900_000))"
        let clinic = isChild ? (random.chance(0.7) ? "103" : random.pick(["104", "106"])) : random.pick(["101", "102", "104", "106", "107", "108"])
        var dispensary: [String] = []
        if !isChild && random.chance(0.12) {
            dispensary.append(random.pick(dispensaryChoices))
            if random.chance(0.3) { dispensary.append(random.pick(dispensaryChoices)) }
        }
        return GeneratedPatient(
            id: id(number), policy: policy, birthDate: birthDate, lastName: Names.surname(sex, &random),
            firstName: random.pick(Names.firstNames(sex)), middleName: Names.patronymic(sex, &random), sex: sex,
            document: document, snils: snils,
            address: "\(random.pick(Names.streets)), д. \(1 + random.next(upTo: 120)), кв. \(1 + random.next(upTo: 200))",
            clinicID: clinic, district: String(1 + random.next(upTo: 3)), dispensary: Array(Set(dispensary)).sorted()
        )
    }

    func insert(_ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO patient (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [id, policy, birthDate, lastName, firstName, middleName, sex.rawValue, document, snils, address])
        try db.cachedStatement(sql: "INSERT INTO attachment VALUES (?, ?, ?)").execute(arguments: [id, clinicID, district])
        for specialty in dispensary {
            try db.cachedStatement(sql: "INSERT INTO dispensary VALUES (?, ?)").execute(arguments: [id, specialty])
        }
    }
}

/// SplitMix64: small, fast, and the same sequence for the same seed on every machine.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double(next() % 1_000_000) / 1_000_000 < probability
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[next(upTo: items.count)]
    }
}

/// Russian names for synthetic people, with the female forms of surnames and patronymics.
enum Names {
    static let maleSurnames = [
        "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
        "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
        "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
        "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
    ]
    static let invariableSurnames = ["Черных", "Седых", "Шевчук", "Бондаренко", "Коваленко", "Ким"]
    static let maleFirstNames = [
        "Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл", "Михаил",
        "Никита", "Матвей", "Роман", "Егор", "Иван", "Владимир", "Павел", "Николай", "Юрий", "Виктор",
    ]
    static let femaleFirstNames = [
        "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина", "Анастасия",
        "Юлия", "Дарья", "Полина", "Виктория", "Ксения", "Людмила", "Галина", "Валентина", "Софья", "Алёна",
    ]
    /// Fathers' names and the stems of the patronymics made from them (Дмитрий → Дмитриев-ич, Павел → Павлов-ич).
    static let fathers: KeyValuePairs<String, String> = [
        "Александр": "Александров", "Дмитрий": "Дмитриев", "Сергей": "Сергеев", "Андрей": "Андреев", "Алексей": "Алексеев",
        "Михаил": "Михайлов", "Иван": "Иванов", "Владимир": "Владимиров", "Павел": "Павлов", "Николай": "Николаев",
        "Юрий": "Юрьев", "Виктор": "Викторов", "Пётр": "Петров", "Олег": "Олегов", "Игорь": "Игорев",
    ]
    static let streets = ["ул. Ленина", "ул. Мира", "ул. Советская", "ул. Школьная", "ул. Садовая", "пр. Победы", "ул. Молодёжная", "ул. Лесная", "ул. Новая", "ул. Гагарина"]

    static func firstNames(_ sex: Sex) -> [String] { sex == .male ? maleFirstNames : femaleFirstNames }

    static func surname(_ sex: Sex, _ random: inout SeededRandom) -> String {
        if random.chance(0.08) { return random.pick(invariableSurnames) }
        let base = random.pick(maleSurnames)
        return sex == .male ? base : base + "а"
    }

    static func patronymic(_ sex: Sex, _ random: inout SeededRandom) -> String {
        let stem = fathers[random.next(upTo: fathers.count)].value
        return stem + (sex == .male ? "ич" : "на")
    }
}
