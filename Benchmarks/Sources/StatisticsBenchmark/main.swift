// A year of a region the size of Moscow's in the statistics store — SQLite and PostgreSQL side by
// side — and the time the statistics page's figures take to read: a month of the whole region, and
// a month of one clinic (with its doctors and their fill rate). The figures are written as the daily
// fill writes them (per clinic, a week at a time), with the shapes StatisticsCounter gives: channels,
// specialties, doctors, hours, outcomes, cancellations, each doctor's published and held times.
// Usage: StatisticsBenchmark SQLITE_PATH [POSTGRES_URL]; CLINICS, DOCTORS, DAYS, BOOKINGS (a day), ROUNDS.
import Foundation
import Logging
import Persistence
import RegistryCore

let environment = ProcessInfo.processInfo.environment
let clinics = Int(environment["CLINICS"] ?? "") ?? 200
let doctors = Int(environment["DOCTORS"] ?? "") ?? 30
let days = Int(environment["DAYS"] ?? "") ?? 365
let bookingsPerDay = Int(environment["BOOKINGS"] ?? "") ?? 43_000
let rounds = Int(environment["ROUNDS"] ?? "") ?? 7
let arguments = CommandLine.arguments.dropFirst()
guard let sqlitePath = arguments.first else {
    print("usage: StatisticsBenchmark SQLITE_PATH [POSTGRES_URL]")
    exit(2)
}
let postgresURL = arguments.dropFirst().first
var logger = Logger(label: "statistics-benchmark")
logger.logLevel = .warning

/// SplitMix64, the same figures for every run.
struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

let firstDay = Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC"), year: 2025, month: 12, day: 1))!
func day(_ offset: Int) -> String {
    let date = firstDay.addingTimeInterval(TimeInterval(offset) * 86_400)
    let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
    return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
}

/// One clinic's figures of days `range`, as a fill writes them.
func figures(clinic: Int, days range: Range<Int>, random: inout Random) -> [StatisticCount] {
    let id = String(1_000 + clinic)
    let perClinic = bookingsPerDay / clinics
    var counts: [StatisticCount] = []
    func split(_ total: Int, into parts: Int) -> [Int] {
        var left = total
        return (0..<parts).map { index in
            if index == parts - 1 { return left }
            let part = min(left, random.next(max(1, 2 * total / parts)))
            left -= part
            return part
        }
    }
    for offset in range {
        let date = day(offset)
        let total = perClinic - perClinic / 10 + random.next(max(1, perClinic / 5))
        for basis in [StatisticCount.Basis.made, .visit] {
            func add(_ metric: StatisticMetric, _ keys: [String]) {
                for (key, value) in zip(keys, split(total, into: keys.count)) where value > 0 {
                    counts.append(StatisticCount(basis: basis, day: date, clinic: id, metric: metric.rawValue, key: key, value: value))
                }
            }
            add(.channel, ["front-desk", "internet", "call-centre", "kiosk", "federal-portal", "doctor"])
            add(.specialty, (0..<15).map { String(109 + $0) })
            add(.doctor, (0..<doctors).map { String(3_000 + $0) })
            add(.hour, (8..<20).map { String(format: "%02d", $0) })
            add(.outcome, ["visited", "missed", "cancelled", "active"])
            add(.cancelledBy, ["patient", "operator", "clinic"].map { $0 })
            add(.cancelLead, StatisticMetric.CancelLead.allCases.map(\.rawValue))
            if basis == .visit {
                for doctor in 0..<doctors {
                    counts.append(StatisticCount(basis: .visit, day: date, clinic: id, metric: "slots", key: String(3_000 + doctor), value: 24))
                    counts.append(StatisticCount(basis: .visit, day: date, clinic: id, metric: "held", key: String(3_000 + doctor), value: 12 + random.next(12)))
                }
            }
        }
    }
    return counts
}

func fill(_ store: any RegistryStore, name: String) async throws {
    let started = Date()
    var random = Random(state: 2026)
    var rows = 0
    for clinic in 0..<clinics {
        for week in stride(from: 0, to: days, by: 7) {
            let counts = figures(clinic: clinic, days: week..<min(days, week + 7), random: &random)
            rows += counts.count
            try await store.replaceStatistics(clinic: String(1_000 + clinic), days: (week..<min(days, week + 7)).map(day), counts: counts, names: [], now: Date())
        }
        if clinic % 20 == 19 {
            FileHandle.standardError.write(Data("\r\(name): \(clinic + 1) of \(clinics) clinics written".utf8))
        }
    }
    FileHandle.standardError.write(Data("\n".utf8))
    print("\(name): \(rows) figures for \(clinics) clinics × \(days) days written in \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
}

/// Median milliseconds of `rounds` reads of the report.
func time(_ store: any RegistryStore, clinics chosen: [String]?, basis: StatisticCount.Basis) async throws -> (median: Double, bookings: Int) {
    var times: [Double] = []
    var bookings = 0
    for _ in 0..<rounds {
        let started = DispatchTime.now()
        let report = try await StatisticsReport.read(store, basis: basis, from: day(days - 31), to: day(days - 1), clinics: chosen)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6)
        bookings = report.bookings.value
    }
    return (times.sorted()[times.count / 2], bookings)
}

try? FileManager.default.removeItem(atPath: sqlitePath)
var stores: [(String, any RegistryStore)] = [("SQLite", try AppDatabase.open(path: sqlitePath))]
let postgres = try postgresURL.map { PostgresStore(client: try PostgresStore.client(url: $0, logger: logger), logger: logger) }
if let postgres { stores.append(("PostgreSQL", postgres)) }

try await withThrowingTaskGroup(of: Void.self) { group in
    if let postgres { group.addTask { await postgres.pools.run() } }
    defer { group.cancelAll() }
    try await postgres?.migrate()
    print("A year of a region: \(clinics) clinics × \(doctors) doctors, about \(bookingsPerDay) bookings a day, \(days) days")
    for (name, store) in stores { try await fill(store, name: name) }
    print("")
    print("| the statistics page's figures (median of \(rounds)) | " + stores.map(\.0).joined(separator: " | ") + " |")
    print("|---|" + stores.map { _ in "---|" }.joined())
    for (label, chosen, basis) in [("a month of the whole region, by day of booking", nil as [String]?, StatisticCount.Basis.made),
                                   ("a month of the whole region, by day of visit", nil, .visit),
                                   ("a month of one clinic (doctors, fill rate)", ["1000"], .visit)] {
        var cells: [String] = []
        for (_, store) in stores {
            let (median, bookings) = try await time(store, clinics: chosen, basis: basis)
            cells.append(String(format: "%.0f ms (%d bookings)", median, bookings))
        }
        print("| \(label) | " + cells.joined(separator: " | ") + " |")
    }
}
