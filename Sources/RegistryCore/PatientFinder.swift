import Booking
import Foundation
import MISBridge
import Persistence

/// Finds a patient's cards across every gateway of the region, and slows guessing down: failed
/// attempts are counted per policy (whatever birth date is typed with it) and per client address (a
/// kiosk counts as one); successes are not counted. Past either limit nobody is refused the right
/// answer: the identity document is asked for as well, which a stranger who knows the policy does
/// not have. Only an address far past its limit (a flood) is refused for the window. A caller that
/// has proved it signed in with the policy before (a browser's "known" token) is not held by the
/// policy's count.
public struct PatientFinder: Sendable {
    let region: Region
    let database: any RegistryStore
    /// Failed attempts a policy may have in `attemptWindow`.
    public static let attemptsPerPolicy = 10
    /// Failed attempts a client address may make in `attemptWindow` before the document is asked for.
    public var attemptsPerAddress: Int
    /// An address with this many times its `attemptsPerAddress` failures is refused for the window.
    public static let floodFactor = 4
    public static let attemptWindow: TimeInterval = 3_600

    public init(region: Region, database: any RegistryStore, attemptsPerAddress: Int) {
        self.region = region
        self.database = database
        self.attemptsPerAddress = attemptsPerAddress
    }

    /// What a search for a patient came to.
    public enum Outcome: Sendable, Equatable {
        /// The patient's card in each clinic that has one, by clinic.
        case found([MISClinicCard])
        /// No clinic has a card with these data.
        case notFound
        /// Several cards fit: ask for the identity document too.
        case several
        /// No gateway could answer (or none is configured); nothing was counted.
        case unavailable
        /// Too many failed attempts for this policy or from this address: ask for the identity
        /// document too (nothing was searched, nothing counted).
        case needsDocument
        /// A flood of failed attempts from this address: wait, or go to the desk.
        case throttled
    }

    /// Looks for the patient of `query` on behalf of a client at `address`; `known` tells whether
    /// the client proved an earlier sign-in with this policy.
    public func find(_ query: MISPatientQuery, from address: String?, known: Bool, now: Date) async throws -> Outcome {
        let throttled = ["policy:" + AppDatabase.policyKey(policy: query.policy), "address:" + (address ?? "unknown")]
        let failures = try await database.failedAttempts(keys: throttled, now: now, window: Self.attemptWindow)
        guard failures[1] < Self.floodFactor * attemptsPerAddress else { return .throttled }
        if query.document == nil, (!known && failures[0] >= Self.attemptsPerPolicy) || failures[1] >= attemptsPerAddress { return .needsDocument }
        let lookups = await cards(query)
        let found = lookups.flatMap(\.cards).sorted { $0.clinic < $1.clinic }
        guard found.isEmpty else { return .found(found) }
        let failed = lookups.compactMap(\.failure)
        let several = failed.contains { $0.code == .severalPatientsFound }
        if lookups.isEmpty || (!several && failed.count == lookups.count && failed.allSatisfy(\.isOutage)) { return .unavailable }
        // Wrong data, or data that fit several cards: a failed attempt, counted against the policy and the address.
        try await database.recordFailedAttempt(keys: throttled, now: now)
        return several ? .several : .notFound
    }

    /// Asks every gateway at once (each answers for all its clinics); a gateway that is down does
    /// not block the others.
    private func cards(_ query: MISPatientQuery) async -> [CardLookup] {
        // A plain struct crosses the task group: a tuple holding a typed Result crashed the release
        // build under load (Swift 6.3.1, while the group copied the tuple).
        await withTaskGroup(of: CardLookup.self) { group in
            for client in region.clients {
                group.addTask {
                    do throws(MISFailure) {
                        return CardLookup(cards: try await client.patientCards(query), failure: nil)
                    } catch {
                        return CardLookup(cards: [], failure: error)
                    }
                }
            }
            var all: [CardLookup] = []
            for await lookup in group { all.append(lookup) }
            return all
        }
    }

    /// One gateway's answer: the patient's cards in its clinics, or why there are none.
    private struct CardLookup: Sendable {
        let cards: [MISClinicCard]
        let failure: MISFailure?
    }
}

extension IdentifiedPatient {
    /// The patient the finder found: their cards by clinic, and the name the pages show, masked
    /// («Анна К.»). `key` is the patient's stable key (`AppDatabase.patientKey`).
    public init(key: String, birthDate: String, found: [MISClinicCard]) {
        let first = found.first?.patient
        self.init(
            key: key, displayName: (first?.firstName ?? "") + " " + String((first?.lastName ?? "").prefix(1)) + ".", birthDate: birthDate,
            cards: Dictionary(found.map { card in
                (card.clinic, ClinicCard(patientID: card.patient.id, attachedClinicID: card.patient.attachedClinicID, attachedDistrict: card.patient.attachedDistrict,
                                         dispensarySpecialtyIDs: card.patient.dispensarySpecialtyIDs))
            }, uniquingKeysWith: { first, _ in first })
        )
    }
}

extension PatientFinder {
    /// What identifying with the data as typed came to.
    public enum Identification: Sendable {
        case identified(IdentifiedPatient, policyKey: String)
        /// The policy (its problem) or the birth date (`badBirthDate`) is not one a patient can have.
        case invalid(policy: PolicyNumber.Problem?, badBirthDate: Bool)
        /// The search itself: not found, several cards, nobody answered, too many failures.
        case failed(Outcome)
    }

    /// Identifies a patient by policy, birth date and (when several cards fit) document, as typed
    /// on a form: checks them, then searches. `known` tells, for the policy's key, whether the client
    /// proved an earlier sign-in with it. Birth dates are reckoned by `zone`'s calendar.
    public func identify(policy typedPolicy: String, birthDate typedBirthDate: String, document typedDocument: String, from address: String?,
                         known: (String) -> Bool, zone: TimeZone, now: Date) async throws -> Identification {
        var policy: PolicyNumber?
        var policyProblem: PolicyNumber.Problem?
        do {
            policy = try PolicyNumber(parsing: typedPolicy)
        } catch {
            policyProblem = error
        }
        let birthDate = BirthDate.parse(typedBirthDate, today: BookingRules.day(now, zone))
        guard let policy, let birthDate else { return .invalid(policy: policyProblem, badBirthDate: birthDate == nil) }
        let policyKey = AppDatabase.policyKey(policy: policy.protocolValue)
        let document = typedDocument.isEmpty ? nil : String(typedDocument.prefix(64))
        let query = MISPatientQuery(policy: policy.protocolValue, birthDate: birthDate, document: document)
        switch try await find(query, from: address, known: known(policyKey), now: now) {
        case .found(let cards):
            let key = AppDatabase.patientKey(policy: policy.protocolValue, birthDate: birthDate)
            return .identified(IdentifiedPatient(key: key, birthDate: birthDate, found: cards), policyKey: policyKey)
        case let other:
            return .failed(other)
        }
    }
}
