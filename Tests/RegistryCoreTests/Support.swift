import Foundation
import GRDB
import Logging
import MISBridge
import Persistence
import ReferenceMIS
import RegistryCore

/// The reference MIS's gateway answering in memory: the bridge's requests are signed and read as
/// XML like any others, but no socket is opened. Stands beside the core's tests only.
struct InMemoryGateway: MISTransport {
    let gateway: Gateway

    func send(_ request: MISHTTPRequest, timeout: Duration) async throws(MISFailure) -> MISHTTPResponse {
        await gateway.respond(to: request)
    }
}

let coreLogger = Logger(label: "core-tests")

/// A demo region (300 patients, schedule open from now) behind an in-memory gateway, the region of
/// the registry reading it, and an empty registry database.
func withCore(_ body: (Region, ReferenceMIS, AppDatabase) async throws -> Void) async throws {
    let misDatabase = try MISDatabase.inMemory()
    try DemoRegion(patients: 300).generate(into: misDatabase)
    let mis = ReferenceMIS(database: misDatabase)
    try mis.openSchedule(now: Date())
    let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "core-secret"]))
    let endpoint = MISEndpoint(id: "reference", url: "http://reference.invalid/serverais", keyID: "registry", secret: "core-secret")
    let region = Region(settings: [endpoint], transport: InMemoryGateway(gateway: gateway), logger: coreLogger)
    try await body(region, mis, try AppDatabase.inMemory())
}

/// The first adult of clinic 101 found through the finder, as the core identifies them.
func identifiedAdult(_ region: Region, _ mis: ReferenceMIS, _ database: AppDatabase) async throws -> IdentifiedPatient {
    let row = try await mis.database.read { db in
        try String.fetchAll(db, sql: """
            SELECT p.policy || '|' || p.birth_date FROM patient p JOIN attachment a ON a.patient_id = p.id
            WHERE a.clinic_id = '101' AND p.birth_date < '2000-01-01' AND p.id NOT LIKE '%D'
            AND p.id NOT IN (SELECT substr(id, 1, length(id) - 1) FROM patient WHERE id LIKE '%D') ORDER BY p.id LIMIT 1
            """)
    }
    let parts = row[0].split(separator: "|").map(String.init)
    let finder = PatientFinder(region: region, database: database, attemptsPerAddress: 30)
    guard case .found(let cards) = try await finder.find(MISPatientQuery(policy: parts[0], birthDate: parts[1]), from: "127.0.0.1", known: false, now: Date()) else {
        throw MISFailure(.patientNotFound, message: "the demo adult was not found")
    }
    return IdentifiedPatient(key: AppDatabase.patientKey(policy: parts[0], birthDate: parts[1]), birthDate: parts[1], found: cards)
}
