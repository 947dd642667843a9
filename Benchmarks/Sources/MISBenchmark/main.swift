import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import GRDB
import Logging
import MISBridge
import ReferenceMIS
import RegistryCore

// Figures for the MIS bridge: XML decoding against Foundation's XMLParser, and round trips per
// second through the bridge (signed HTTP, AsyncHTTPClient) into the reference MIS.

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

// MARK: XML decoding

let zone = TimeZone(identifier: "Asia/Yekaterinburg")!
let firstStart = Date(timeIntervalSince1970: 1_795_381_200)
let slots = (0..<500).map { index in
    MISSlot(id: String(410_000 + index), start: firstStart.addingTimeInterval(Double(index) * 1_200), end: firstStart.addingTimeInterval(Double(index) * 1_200 + 1_200),
            room: "Кабинет \(200 + index % 30)", address: "г. Екатеринбург, ул. Малышева, д. 90, корп. \(1 + index % 3)")
}
let document = Array(MISResponse.success(.getAvailableAppointments) { writer in
    writer.start("slots")
    for slot in slots { slot.write(into: &writer, zone: zone) }
}.utf8)

func decodeOurs() throws -> [MISSlot] {
    try MISAnswer.slots(try MISResponse.payload(of: document, for: .getAvailableAppointments))
}

/// The same result through Foundation's XMLParser, with the same date parsing.
final class FoundationSlotDecoder: NSObject, XMLParserDelegate {
    var slots: [MISSlot] = []
    var failed = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard name == "slot" else { return }
        guard let id = attributes["id"], let start = attributes["start"].flatMap(ProtocolTime.date(from:)), let end = attributes["end"].flatMap(ProtocolTime.date(from:)),
            let room = attributes["room"], let address = attributes["address"]
        else { failed = true; return }
        slots.append(MISSlot(id: id, start: start, end: end, room: room, address: address))
    }

    static func decode() -> [MISSlot] {
        let parser = XMLParser(data: Data(document))
        parser.shouldResolveExternalEntities = false
        let delegate = FoundationSlotDecoder()
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.failed ? [] : delegate.slots
    }
}

guard try decodeOurs() == slots, FoundationSlotDecoder.decode() == slots else {
    print("decoders disagree")
    exit(1)
}
if ProcessInfo.processInfo.environment["PROFILE"] == "decode" {
    for _ in 0..<3_000 { _ = try decodeOurs() }
    exit(0)
}
let clock = ContinuousClock()
var oursSamples: [Double] = [], foundationSamples: [Double] = []
for _ in 0..<7 {
    oursSamples.append(seconds(try clock.measure { for _ in 0..<100 { _ = try decodeOurs() } }) / 100 * 1e6)
    foundationSamples.append(seconds(clock.measure { for _ in 0..<100 { _ = FoundationSlotDecoder.decode() } }) / 100 * 1e6)
}
let ours = oursSamples.sorted()[3], foundation = foundationSamples.sorted()[3]
print("XML decode: \(document.count / 1024) KB answer → \(slots.count) slots (median of 7 rounds × 100)")
print(String(format: "  our codec (libxml2 SAX2, hardened)   %8.1f µs  %6.0f MB/s", ours, Double(document.count) / ours))
print(String(format: "  Foundation XMLParser                 %8.1f µs  %6.0f MB/s", foundation, Double(document.count) / foundation))
print(String(format: "  ours is %.2f× faster (target ≥ 2×) — %@", foundation / ours, foundation >= 2 * ours ? "met" : "NOT met"))

// MARK: Round trips

var logger = Logger(label: "mis-bench")
logger.logLevel = .warning
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mis-bench-\(UUID().uuidString)")
let database = try MISDatabase.open(path: directory.appendingPathComponent("mis.sqlite").path)
try DemoRegion(patients: 20_000).generate(into: database)
let mis = ReferenceMIS(database: database)
let now = Date()
try mis.openSchedule(now: now)
let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["bench": "bench-secret"]))
let portBox = AsyncStream<Int>.makeStream()
let app = Application(
    router: gateway.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in portBox.continuation.yield(channel.localAddress!.port!) }, logger: logger
)
let server = Task { try await app.runService(gracefulShutdownSignals: []) }
var port = 0
for await announced in portBox.stream {
    port = announced
    break
}
let transport = HTTPClientTransport()
let client = MISClient(endpoint: MISEndpoint(id: "reference", url: "http://127.0.0.1:\(port)/serverais", keyID: "bench", secret: "bench-secret"), transport: transport, logger: logger)

// MARK: Earliest free time

/// Passes requests on and counts them by operation, to show what a search costs the gateways.
final class CountingTransport: MISTransport, @unchecked Sendable {
    let inner: any MISTransport
    private var counts: [String: Int] = [:]
    private let lock = NSLock()

    init(_ inner: any MISTransport) { self.inner = inner }

    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse {
        let text = request.url + "&" + String(decoding: request.body ?? [], as: UTF8.self)
        let operation = text.split(whereSeparator: { $0 == "&" || $0 == "?" }).first { $0.hasPrefix("op=") }.map { String($0.dropFirst(3)) } ?? "?"
        lock.withLock { counts[operation, default: 0] += 1 }
        return try await inner.send(request, timeout: timeout)
    }

    /// The counts since the last call, and resets them.
    func take() -> [String: Int] {
        lock.withLock {
            defer { counts = [:] }
            return counts
        }
    }
}

let counting = CountingTransport(transport)
let searchRegion = Region(settings: [MISEndpoint(id: "reference", url: "http://127.0.0.1:\(port)/serverais", keyID: "bench", secret: "bench-secret")], transport: counting, logger: logger)
let district = try mis.clinic("101").districtID
print("")
print("Earliest free time of a specialty (RegistryCore.EarliestTimes through the bridge, 20 000 patients):")
for (label, federalCode, wholeRegion) in [("therapist, one district", "76", false), ("surgeon, all 8 clinics", "92", true)] {
    let clinics = try await wholeRegion ? searchRegion.clinics() : searchRegion.clinics(district: district)
    _ = counting.take()
    for round in ["first search", "again at once"] {
        let started = ContinuousClock.now
        let result = await EarliestTimes.search(federalCode: federalCode, in: clinics, now: Date())  // today's rules
        let elapsed = seconds(ContinuousClock.now - started) * 1_000
        let calls = counting.take()
        let detail = calls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(String(format: "  %@ (%d clinics, %d doctors), %@: %6.1f ms, %d MIS calls%@ → %d times, first %@", label, clinics.count, result.doctorsAsked, round, elapsed,
                     calls.values.reduce(0, +), detail.isEmpty ? "" : " (\(detail))", result.found.count, result.found.first.map { ProtocolTime.string($0.slot.start, in: $0.zone) } ?? "—"))
    }
}

/// Runs `count` operations with `concurrency` in flight; returns (seconds, failures).
func run(_ count: Int, concurrency: Int, _ operation: @escaping @Sendable (Int) async -> Bool) async -> (Double, Int) {
    let started = ContinuousClock.now
    let failures = await withTaskGroup(of: Int.self) { group in
        let next = ManagedCounter()
        for _ in 0..<concurrency {
            group.addTask {
                var failed = 0
                while let index = next.take(below: count) { if !(await operation(index)) { failed += 1 } }
                return failed
            }
        }
        return await group.reduce(0, +)
    }
    return (seconds(ContinuousClock.now - started), failures)
}

final class ManagedCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

// Reads: one doctor's free times for a day, across all doctors.
let doctors = try await database.read { db in
    try Row.fetchAll(db, sql: "SELECT d.id, d.clinic_id, MIN(s.day) AS day FROM doctor d JOIN slot s ON s.doctor_id = d.id GROUP BY d.id")
        .map { (id: $0["id"] as String, clinic: $0["clinic_id"] as String, day: $0["day"] as String) }
}
let reads = 4_000
let (readTime, readFailures) = await run(reads, concurrency: 32) { index in
    let doctor = doctors[index % doctors.count]
    return (try? await client.availableAppointments(clinic: doctor.clinic, doctor: doctor.id, from: doctor.day, to: doctor.day, fresh: true)) != nil
}

// Bookings: every free time of the dentists and surgeons (no age or attachment limits), one patient each.
let earliest = Int(now.timeIntervalSince1970) + 3_600
let bookable = try await database.read { db in
    try Row.fetchAll(db, sql: """
        SELECT s.id, s.clinic_id FROM slot s JOIN doctor d ON d.id = s.doctor_id
        WHERE d.specialty_id IN ('112', '113') AND s.start > ? ORDER BY s.start
        """, arguments: [earliest]).map { (slot: String($0["id"] as Int64), clinic: $0["clinic_id"] as String) }
}
let patients = try await database.read { db in try String.fetchAll(db, sql: "SELECT id FROM patient ORDER BY id") }
// Each time is booked for a patient with a card in its clinic, a different patient for every time
// (one patient's two dentists on one day would be refused, rightly).
let cards = try await database.read { db in
    try Row.fetchAll(db, sql: "SELECT clinic_id, patient_id FROM card ORDER BY patient_id").reduce(into: [String: [String]]()) { $0[$1["clinic_id"], default: []].append($1["patient_id"]) }
}
// The last 50 times are kept free for the morning rush below.
let bookings = min(bookable.count - 50, patients.count - 1_000, 5_000)
var nextCard: [String: Int] = [:]
var booked: Set<String> = []
let bookers = bookable.prefix(bookings).map { target -> String in
    let holders = cards[target.clinic]!
    var index = nextCard[target.clinic, default: 0]
    while booked.contains(holders[index]) { index += 1 }
    nextCard[target.clinic] = index + 1
    booked.insert(holders[index])
    return holders[index]
}
let (bookingTime, bookingFailures) = await run(bookings, concurrency: 32) { index in
    let target = bookable[index]
    let request = MISBookingRequest(slotID: target.slot, patientID: bookers[index], channel: .internet, requestID: "bench-\(index)")
    return (try? await client.setAppointment(clinic: target.clinic, request)) != nil
}

// The morning rush: 1 000 requests racing for 50 slots.
let contested = Array(bookable.suffix(50))
let (_, _) = await run(1_000, concurrency: 64) { index in
    let target = contested[index % contested.count]
    let holders = cards[target.clinic]!
    let request = MISBookingRequest(slotID: target.slot, patientID: holders[holders.count - 1 - index], channel: .internet, requestID: "rush-\(index)")
    return (try? await client.setAppointment(clinic: target.clinic, request)) != nil
}
let (active, distinctSlots, rushWinners) = try await database.read { db in
    let row = try Row.fetchOne(db, sql: """
        SELECT COUNT(*) AS active, COUNT(DISTINCT slot_id) AS slots,
               (SELECT COUNT(*) FROM appointment WHERE request_id LIKE 'rush-%' AND status = 'active') AS rush
        FROM appointment WHERE status = 'active'
        """)!
    return (row["active"] as Int, row["slots"] as Int, row["rush"] as Int)
}

print("")
print("Bridge round trips into the reference MIS (signed HTTP on loopback, 20 000 patients, SQLite WAL):")
print(String(format: "  reads  GetAvailableAppointments  %6d calls  %8.0f/s  (%d failed)", reads, Double(reads) / readTime, readFailures))
print(String(format: "  writes SetAppointment            %6d calls  %8.0f/s  (%d refused)", bookings, Double(bookings) / bookingTime, bookingFailures))
print("  morning rush: 1 000 requests for 50 slots → \(rushWinners) appointments")
print("  active appointments \(active) on \(distinctSlots) distinct slots — \(active == distinctSlots ? "no double booking" : "DOUBLE BOOKING")")
print(String(format: "  bookings ≥ 1 000/s (target) — %@", Double(bookings) / bookingTime >= 1_000 ? "met" : "NOT met"))

try await transport.shutdown()
server.cancel()
try? FileManager.default.removeItem(at: directory)
if active != distinctSlots || rushWinners != 50 { exit(1) }
