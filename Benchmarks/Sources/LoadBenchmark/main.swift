// Load figures for the registry as patients meet it, driven over real HTTP against a running
// registry and its reference MIS (whose database tells the driver who and what to book):
//   bare     — a bare Hummingbird server answering a fixed page (the yardstick for wrk);
//   journeys — the full booking path, many patients at once: identify → check page → confirm → ticket;
//   rush     — the morning rush: many identified patients press "Записаться" at the same moment for
//              the freshly opened times of one doctor;
//   turns    — the booking path on two registries (each with its own region) in short turns, so that
//              the host's drift from minute to minute falls on both alike.
// scripts/bench-load runs all of them, with wrk for the page figures.
import Foundation
import GRDB
import Hummingbird
import NIOCore
import NIOHTTP1
import Synchronization

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}

// MARK: A patient's browser

/// Keep-alive connections to the registry, handed from patient to patient as a reverse proxy in
/// front of the registry would: a new TCP connection per patient would measure connection set-up.
final class ConnectionPool: Sendable {
    /// Idle connections by the registry's port (all on loopback).
    private let idle = Mutex<[Int: [HTTPConnection]]>([:])

    static let shared = ConnectionPool()

    func take(host: String, port: Int) async throws -> HTTPConnection {
        if let connection = idle.withLock({ $0[port]?.popLast() }) { return connection }
        return try await HTTPConnection.open(host: host, port: port)
    }

    func give(back connection: HTTPConnection, port: Int) {
        idle.withLock { $0[port, default: []].append(connection) }
    }
}

/// One virtual patient: their own cookies, over a keep-alive connection of their own while they
/// are at it.
final class VirtualPatient: @unchecked Sendable {
    let host: String
    let port: Int
    var cookies: [String: String] = [:]
    /// The form token of the last page with a form (the registry signs it for the browser's cookie or session).
    var formToken = ""
    private var connection: HTTPConnection?

    init(base: String) {
        let address = base.replacingOccurrences(of: "http://", with: "").split(separator: ":")
        host = String(address[0])
        port = Int(address[1])!
    }

    /// A page's answer: status, Location, body.
    struct Page {
        let status: Int
        let location: String?
        let body: String
    }

    func get(_ path: String) async throws -> Page {
        try await send(.GET, path, body: nil)
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> Page {
        let form = (fields + [("csrf", formToken)]).map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        return try await send(.POST, path, body: form)
    }

    /// The patient is done: their connection serves the next one.
    func leave() async {
        if let connection { ConnectionPool.shared.give(back: connection, port: port) }
        connection = nil
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> Page {
        if connection == nil { connection = try await ConnectionPool.shared.take(host: host, port: port) }
        var headers: [(String, String)] = []
        if !cookies.isEmpty { headers.append(("Cookie", cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))) }
        if body != nil { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
        let answer = try await connection!.send(method, path, headers: headers, body: body)
        for header in answer.headers["Set-Cookie"] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
        }
        if let range = answer.body.bytesRange(of: "name=\"csrf\" value=\"") {
            formToken = String(answer.body[range.upperBound...].prefix { $0 != "\"" })
        }
        return Page(status: answer.status, location: answer.headers.first(name: "Location"), body: answer.body)
    }

    /// Identifies with a policy and birth date; true when the registry opened a session.
    func identify(policy: String, birthDate: String) async throws -> Bool {
        _ = try await get("/identify")
        let answer = try await post("/identify", [("policy", policy), ("birthDate", birthDate)])
        return answer.status == 303
    }

    /// Opens the check page of a time as its day's page links it (with the day); returns the
    /// confirmation's request id.
    func check(clinic: String, doctor: String, slot: String, day: String) async throws -> String? {
        let page = try await get("/book?clinic=\(clinic)&doctor=\(doctor)&slot=\(slot)&day=\(day)")
        guard page.status == 200, let range = page.body.bytesRange(of: "name=\"requestId\" value=\"") else { return nil }
        return String(page.body[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Sends the check page's form as a browser does, with all its fields.
    func confirm(clinic: String, doctor: String, slot: String, day: String, requestID: String) async throws -> Page {
        try await post("/book", [("clinic", clinic), ("doctor", doctor), ("slot", slot), ("day", day), ("requestId", requestID)])
    }
}

// MARK: The demo region's data

/// Patients and free times read straight from the reference MIS's database.
struct DemoData {
    let database: DatabaseQueue

    init(path: String) throws {
        // Not read-only: SQLite needs write access to a WAL database's shared-memory file even to read.
        database = try DatabaseQueue(path: path)
    }

    /// For each clinic of `clinics` (in order, repeats allowed) an adult with a card there and no
    /// namesake, as (policy, birth date) — a different one each time, so that nobody holds two times
    /// (one person's two dentists on one day would be refused, rightly); the first `offset` of each
    /// clinic's patients are skipped.
    func patients(for clinics: [String], offset: Int) throws -> [(String, String)] {
        var needed: [String: Int] = [:]
        for clinic in clinics { needed[clinic, default: 0] += 1 }
        let pools = try database.read { db in
            try needed.keys.reduce(into: [String: [(String, String)]]()) { pools, clinic in
                pools[clinic] = try Row.fetchAll(db, sql: """
                    SELECT p.policy, p.birth_date FROM patient p JOIN card c ON c.patient_id = p.id AND c.clinic_id = ?
                    WHERE p.id NOT LIKE '%D' AND p.id NOT IN (SELECT substr(id, 1, length(id) - 1) FROM patient WHERE id LIKE '%D')
                    AND p.birth_date < '2004-01-01' ORDER BY p.id LIMIT ? OFFSET ?
                    """, arguments: [clinic, needed[clinic]! + clinics.count, offset]).map { ($0["policy"], $0["birth_date"]) }
            }
        }
        var next: [String: Int] = [:]
        var taken: Set<String> = []
        return clinics.map { clinic in
            let pool = pools[clinic]!
            var index = next[clinic, default: 0]
            while index < pool.count, taken.contains(pool[index].0) { index += 1 }
            precondition(index < pool.count, "the demo region has too few patients with a card in clinic \(clinic)")
            next[clinic] = index + 1
            taken.insert(pool[index].0)
            return pool[index]
        }
    }

    /// Free surgeon and dentist times (open to all ages, no attachment needed) at least `hours` ahead,
    /// in clinics where adults have cards (not the children's clinic), as (clinic, doctor, slot).
    func openTimes(hoursAhead hours: Int, excludingDoctor excluded: String) throws -> [(String, String, String, String)] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.clinic_id, s.doctor_id, s.id, s.day FROM slot s JOIN doctor d ON d.id = s.doctor_id
                WHERE d.specialty_id IN ('112', '113') AND s.closed = 0 AND s.start > ? AND d.id <> ?
                AND s.clinic_id IN (SELECT DISTINCT c.clinic_id FROM card c JOIN patient p ON p.id = c.patient_id WHERE p.birth_date < '2004-01-01')
                AND s.id NOT IN (SELECT slot_id FROM appointment WHERE status = 'active') ORDER BY s.start
                """, arguments: [Int(Date().timeIntervalSince1970) + hours * 3_600, excluded]).map { ($0["clinic_id"], $0["doctor_id"], String($0["id"] as Int64), $0["day"]) }
        }
    }

    /// A surgeon or dentist with at least `count` free times, in the clinic where most adults have
    /// cards (the rush needs thousands of them besides those the booking path took; which doctor has
    /// the most free times changes with the hour): (clinic, doctor, their first `count` free slots with their days).
    func rushDoctor(slots count: Int, hoursAhead hours: Int) throws -> (String, String, [(slot: String, day: String)]) {
        try database.read { db in
            let earliest = Int(Date().timeIntervalSince1970) + hours * 3_600
            let doctor = try Row.fetchOne(db, sql: """
                SELECT d.clinic_id, d.id, COUNT(*) AS free,
                    (SELECT COUNT(*) FROM card c JOIN patient p ON p.id = c.patient_id WHERE c.clinic_id = d.clinic_id AND p.birth_date < '2004-01-01') AS adults
                FROM slot s JOIN doctor d ON d.id = s.doctor_id
                WHERE d.specialty_id IN ('112', '113') AND s.closed = 0 AND s.start > ?
                GROUP BY d.id HAVING adults > 0 ORDER BY free >= ? DESC, adults DESC, free DESC, d.id LIMIT 1
                """, arguments: [earliest, count])!
            let slots = try Row.fetchAll(db, sql: "SELECT id, day FROM slot WHERE doctor_id = ? AND closed = 0 AND start > ? ORDER BY start LIMIT ?", arguments: [doctor["id"] as String, earliest, count])
            return (doctor["clinic_id"], doctor["id"], slots.map { (String($0["id"] as Int64), $0["day"] as String) })
        }
    }

    func activeAppointments(slots: [String]) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointment WHERE status = 'active' AND slot_id IN (\(slots.joined(separator: ",")))") ?? 0
        }
    }
}

// MARK: Figures

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
}

/// Runs `work` for each item with at most `width` at a time.
func inParallel<T: Sendable, R: Sendable>(_ items: [T], width: Int, _ work: @escaping @Sendable (Int, T) async -> R) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        for _ in 0..<min(width, items.count) {
            let index = next
            group.addTask { (index, await work(index, items[index])) }
            next += 1
        }
        for await (index, result) in group {
            results[index] = result
            if next < items.count {
                let index = next
                group.addTask { (index, await work(index, items[index])) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}

// MARK: Commands

func bare() async throws {
    let bytes = Int(option("bytes", "20000"))!
    let port = Int(option("port", "8090"))!
    var html = "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Страница</title></head><body><main>"
    while html.utf8.count < bytes - 22 { html += "<p>Свободное время</p>" }
    html += "</main></body></html>"
    let page = ByteBuffer(string: html)
    let router = Router()
    router.get("/") { _, _ in Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page)) }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
    print("bare page of \(page.readableBytes) bytes at http://127.0.0.1:\(port)/")
    try await app.runService()
}

/// One patient's whole path; nil when it ended on their ticket, else where it stopped.
func bookOnce(_ patient: VirtualPatient, policy: String, birthDate: String, clinic: String, doctor: String, slot: String, day: String) async -> String? {
    do {
        guard try await patient.identify(policy: policy, birthDate: birthDate) else { return "identify" }
        guard let requestID = try await patient.check(clinic: clinic, doctor: doctor, slot: slot, day: day) else { return "check" }
        let confirmed = try await patient.confirm(clinic: clinic, doctor: doctor, slot: slot, day: day, requestID: requestID)
        guard confirmed.status == 303, let ticket = confirmed.location, ticket.hasPrefix("/tickets/") else { return "confirm \(confirmed.status)" }
        let shown = try await patient.get(ticket)
        guard shown.status == 200, shown.body.containsBytes("Талон №") else { return "ticket" }
        return nil
    } catch {
        return "error: \(error)"
    }
}

/// Who books what on the booking path: a different patient for each free time, read from a region's MIS database.
typealias Booking = (person: (String, String), time: (String, String, String, String))

func bookings(misDatabase path: String, count: Int) throws -> [Booking] {
    let data = try DemoData(path: path)
    let rush = try data.rushDoctor(slots: 1, hoursAhead: 4)
    let times = Array(try data.openTimes(hoursAhead: 4, excludingDoctor: rush.1).prefix(count))
    let people = try data.patients(for: times.map(\.0), offset: 0)
    return zip(people, times).map { (person: $0, time: $1) }
}

/// What a batch of booking paths came to: how many ended on their ticket, in how long, each path's time, where the others stopped.
struct PathFigures {
    var completed = 0
    var attempted = 0
    var seconds = 0.0
    var latencies: [Double] = []
    var failures: [String: Int] = [:]

    mutating func add(_ other: PathFigures) {
        completed += other.completed
        attempted += other.attempted
        seconds += other.seconds
        latencies += other.latencies
        for (failure, count) in other.failures { failures[failure, default: 0] += count }
    }

    var rate: Double { Double(completed) / seconds }
}

/// `items` booked on the registry at `base`, `width` patients at a time.
func bookingPaths(_ items: ArraySlice<Booking>, base: String, width: Int) async -> PathFigures {
    let started = ContinuousClock.now
    let outcomes = await inParallel(Array(items), width: width) { _, item -> (Bool, Double, String) in
        let ((policy, birth), (clinic, doctor, slot, day)) = item
        let patient = VirtualPatient(base: base)
        let begun = ContinuousClock.now
        let failure = await bookOnce(patient, policy: policy, birthDate: birth, clinic: clinic, doctor: doctor, slot: slot, day: day)
        await patient.leave()
        return (failure == nil, milliseconds(ContinuousClock.now - begun), failure ?? "")
    }
    var figures = PathFigures(attempted: outcomes.count, seconds: milliseconds(ContinuousClock.now - started) / 1_000)
    for outcome in outcomes {
        if outcome.0 {
            figures.completed += 1
            figures.latencies.append(outcome.1)
        } else {
            figures.failures[outcome.2, default: 0] += 1
        }
    }
    return figures
}

func printFigures(_ figures: PathFigures, indent: String = "  ") {
    let latencies = figures.latencies.sorted()
    print(String(format: "\(indent)completed bookings: %d of %d in %.1f s = %.0f bookings/s end to end", figures.completed, figures.attempted, figures.seconds, figures.rate))
    print(String(format: "\(indent)one patient's whole path (5 requests): p50 %.0f ms, p99 %.0f ms", percentile(latencies, 0.5), percentile(latencies, 0.99)))
    if !figures.failures.isEmpty { print("\(indent)not completed: \(figures.failures)") }
}

func journeys() async throws {
    let base = option("registry", "http://127.0.0.1:8080")
    let width = Int(option("concurrency", "64"))!
    let items = try bookings(misDatabase: option("mis-db", "data/reference-mis.sqlite"), count: Int(option("bookings", "1000"))!)
    print("booking path: \(items.count) patients, \(width) at a time: identify → check page → confirm → ticket")
    printFigures(await bookingPaths(items[...], base: base, width: width))
}

/// The booking path on two registries in `turns` batches each (the first registry first in odd
/// turns, second in even ones), each registry with a region of its own; the time counted for a
/// registry is that of its own batches only, and the second's rate is given as a share of the first's.
func turns() async throws {
    let bases = option("registries", "").split(separator: ",").map(String.init)
    let databases = option("mis-dbs", "").split(separator: ",").map(String.init)
    let names = option("names", bases.joined(separator: ",")).split(separator: ",").map(String.init)
    precondition(bases.count == 2 && databases.count == 2 && names.count == 2, "--registries, --mis-dbs and --names list two entries each")
    let width = Int(option("concurrency", "64"))!
    let turnCount = Int(option("turns", "6"))!
    let count = Int(option("bookings", "3000"))!
    let items = try databases.map { try bookings(misDatabase: $0, count: count) }
    let batch = items.map(\.count).min()! / turnCount
    print("booking path in turns: \(turnCount) turns of \(batch) patients on each of \(names.joined(separator: ", ")), \(width) at a time")
    var totals = [PathFigures](repeating: PathFigures(), count: bases.count)
    for turn in 0..<turnCount {
        let order = turn % 2 == 0 ? Array(bases.indices) : Array(bases.indices.reversed())
        var line: [String] = []
        for index in order {
            let figures = await bookingPaths(items[index][(turn * batch)..<((turn + 1) * batch)], base: bases[index], width: width)
            totals[index].add(figures)
            line.append(String(format: "%@ %.0f", names[index], figures.rate))
        }
        print("  turn \(turn + 1): " + line.joined(separator: ", ") + " bookings/s")
    }
    for index in bases.indices {
        print("\(names[index]):")
        printFigures(totals[index], indent: "  ")
    }
    print(String(format: "%@ ÷ %@ over all turns: %.0f %%", names[1], names[0], totals[1].rate / totals[0].rate * 100))
}

/// Where a patient of the rush stopped before it began.
struct Unprepared: Error {
    let stage: String
}

func rush() async throws {
    let base = option("registry", "http://127.0.0.1:8080")
    let data = try DemoData(path: option("mis-db", "data/reference-mis.sqlite"))
    let clients = Int(option("clients", "1000"))!
    let slotCount = Int(option("slots", "200"))!
    let (clinic, doctor, slots) = try data.rushDoctor(slots: slotCount, hoursAhead: 4)
    precondition(slots.count == slotCount, "the demo doctor has only \(slots.count) free times")
    // Patients the booking path did not use: it takes each clinic's first ones, at most as many as it books.
    let people = try data.patients(for: Array(repeating: clinic, count: clients), offset: Int(option("skip-patients", "3500"))!)
    print("morning rush: \(clients) identified patients, \(slotCount) times of doctor \(doctor) in clinic \(clinic), 5 patients per time")
    // Before the rush: everyone is identified and looking at the check page of their time.
    let prepared = await inParallel(Array(people.enumerated()), width: 64) { _, item -> Result<(VirtualPatient, (slot: String, day: String), String), Unprepared> in
        let (index, (policy, birth)) = item
        let patient = VirtualPatient(base: base)
        let time = slots[index % slots.count]
        guard (try? await patient.identify(policy: policy, birthDate: birth)) == true else { return .failure(Unprepared(stage: "identify")) }
        guard let requestID = try? await patient.check(clinic: clinic, doctor: doctor, slot: time.slot, day: time.day) else {
            let page = try? await patient.get("/book?clinic=\(clinic)&doctor=\(doctor)&slot=\(time.slot)&day=\(time.day)")
            let refusal = page?.body.bytesRange(of: "data-refusal=\"").map { String(page!.body[$0.upperBound...].prefix { $0 != "\"" }) } ?? "-"
            return .failure(Unprepared(stage: "check page \(page?.status ?? 0) \(refusal)"))
        }
        return .success((patient, time, requestID))
    }
    let ready = prepared.compactMap { try? $0.get() }
    var unprepared: [String: Int] = [:]
    for case .failure(let failure) in prepared { unprepared[failure.stage, default: 0] += 1 }
    if ready.count != clients {
        print("  only \(ready.count) patients got to the check page; stopped at \(unprepared)")
        exit(1)
    }
    // The rush: all press the button at once.
    let started = ContinuousClock.now
    let results = await inParallel(ready, width: ready.count) { _, item -> (Int, String, Double) in
        let (patient, time, requestID) = item
        let begun = ContinuousClock.now
        do {
            let answer = try await patient.confirm(clinic: clinic, doctor: doctor, slot: time.slot, day: time.day, requestID: requestID)
            let kind: String
            if answer.status == 303, answer.location?.hasPrefix("/tickets/") == true {
                kind = "ticket"
            } else if answer.status == 409, answer.body.containsBytes("data-refusal=\"slot-taken\""), answer.body.containsBytes("Ближайшее свободное время") {
                kind = "taken, others offered"
            } else {
                kind = "other"
            }
            return (answer.status, kind, milliseconds(ContinuousClock.now - begun))
        } catch {
            return (0, "no answer", milliseconds(ContinuousClock.now - begun))
        }
    }
    let elapsed = milliseconds(ContinuousClock.now - started)
    var kinds: [String: Int] = [:]
    for result in results { kinds[result.1, default: 0] += 1 }
    let latencies = results.map(\.2).sorted()
    let serverErrors = results.filter { $0.0 >= 500 || $0.0 == 0 }.count
    let appointments = try data.activeAppointments(slots: slots.map(\.slot))
    print("  answers: \(kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    print(String(format: "  5xx or no answer: %d; latency p50 %.0f ms, p99 %.0f ms, max %.0f ms; all answered in %.0f ms", serverErrors, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? 0, elapsed))
    print("  appointments in the MIS for those \(slotCount) times: \(appointments) (expected exactly \(slotCount))")
    if appointments != slotCount || kinds["ticket"] != slotCount || serverErrors > 0 { print("  RUSH FAILED"); exit(1) }
}

switch arguments.dropFirst().first {
case "bare": try await bare()
case "journeys": try await journeys()
case "rush": try await rush()
case "turns": try await turns()
default:
    print("usage: LoadBenchmark bare --port P --bytes N | journeys --registry URL --mis-db PATH [--bookings N --concurrency C] | rush --registry URL --mis-db PATH [--clients N --slots N]"
        + " | turns --registries URL,URL --mis-dbs PATH,PATH --names A,B [--bookings N --turns N --concurrency C]")
    exit(2)
}
