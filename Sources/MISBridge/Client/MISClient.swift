import Foundation
import Logging
import Metrics
import Synchronization

/// Calls one MIS gateway: signs requests, enforces deadlines, retries reads with jitter, opens a
/// circuit when the gateway keeps failing, caches reference data, and reports metrics and logs
/// without personal data (operation, endpoint, outcome, duration only).
public final class MISClient: Sendable {
    public let endpoint: MISEndpoint
    private let transport: any MISTransport
    private let signer: RequestSigner
    private let policy: MISCallPolicy
    private let breaker: CircuitBreaker
    /// 1 while the breaker is open, 0 while calls go out (`mis_breaker_open{endpoint}`).
    private let breakerGauge: Gauge
    private let callMetrics: CallMetrics
    private let cache = ReferenceCache()
    /// Cacheable calls under way, so that a crowd asking the same thing at once makes one call.
    private let inFlight = Mutex<[String: Task<any Sendable, any Error>]>([:])
    let freeTimes = FreeTimesCache()
    /// Set once the gateway turned down CheckPatient without a clinic.
    private let asksClinicByClinic = Mutex(false)
    private let reader = XMLReader()
    private let logger: Logger
    private let path: String

    public init(endpoint: MISEndpoint, transport: any MISTransport, policy: MISCallPolicy = MISCallPolicy(), breaker: CircuitBreaker = CircuitBreaker(), logger: Logger) {
        self.endpoint = endpoint
        self.transport = transport
        self.signer = RequestSigner(keyID: endpoint.keyID, secret: endpoint.secret)
        self.policy = policy
        self.breaker = breaker
        self.breakerGauge = Gauge(label: "mis_breaker_open", dimensions: [("endpoint", endpoint.id)])
        self.callMetrics = CallMetrics(endpoint: endpoint.id)
        self.logger = logger
        self.path = URL(string: endpoint.url)?.path ?? "/"
    }

    // MARK: Operations

    public func version() async throws(MISFailure) -> MISGatewayVersion {
        try MISAnswer.version(try await call(MISRequests.Version()))
    }

    public func districts() async throws(MISFailure) -> [MISDistrict] {
        try await reference(MISRequests.Districts(), MISAnswer.districts)
    }

    /// The gateway's clinics, named as the registry names them (`MISEndpoint.clinicPrefix`).
    public func clinics(district: String? = nil) async throws(MISFailure) -> [MISClinic] {
        try await reference(MISRequests.Clinics(district: district), MISAnswer.clinics).map { $0.named(registryID($0.id)) }
    }

    public func specialties(clinic: String) async throws(MISFailure) -> [MISSpecialty] {
        try await reference(MISRequests.Specialties(clinic: try gatewayID(clinic)), MISAnswer.specialties)
    }

    public func doctors(clinic: String, specialty: String) async throws(MISFailure) -> [MISDoctor] {
        try await reference(MISRequests.Doctors(clinic: try gatewayID(clinic), specialty: specialty), MISAnswer.doctors)
    }

    public func availableDates(clinic: String, doctor: String, from: String, to: String) async throws(MISFailure) -> [MISAvailableDate] {
        try MISAnswer.dates(try await call(MISRequests.AvailableDates(MISRequests.DoctorRange(clinic: try gatewayID(clinic), doctor: doctor, from: from, to: to))))
    }

    // MARK: Clinic ids

    /// The registry's id of one of this gateway's clinics.
    private func registryID(_ clinic: String) -> String {
        endpoint.clinicPrefix.isEmpty ? clinic : endpoint.clinicPrefix + clinic
    }

    /// This gateway's own id of a clinic the registry names; a name without the gateway's prefix is
    /// no clinic of this gateway.
    func gatewayID(_ clinic: String) throws(MISFailure) -> String {
        guard !endpoint.clinicPrefix.isEmpty else { return clinic }
        guard clinic.hasPrefix(endpoint.clinicPrefix) else { throw MISFailure(.unknownClinic, detail: clinic) }
        return String(clinic.dropFirst(endpoint.clinicPrefix.count))
    }

    /// A doctor's free times. An answer up to `freeTimesLifetime` old is shared (a crowd asking at
    /// once makes one call); `fresh` asks the MIS now, and shares that newest answer from then on.
    public func availableAppointments(clinic: String, doctor: String, from: String, to: String, fresh: Bool = false) async throws(MISFailure) -> [MISSlot] {
        let request = MISRequests.AvailableAppointments(MISRequests.DoctorRange(clinic: try gatewayID(clinic), doctor: doctor, from: from, to: to))
        let key = FreeTimesCache.Key(clinic: clinic, doctor: doctor, from: from, to: to)
        if fresh {
            let slots = try MISAnswer.slots(try await call(request))
            freeTimes.store(slots, for: key, lifetime: policy.freeTimesLifetime)
            return slots
        }
        if let hit = freeTimes.slots(for: key) { return hit }
        return try await shared("free\u{0}\(clinic)\u{0}\(doctor)\u{0}\(from)\u{0}\(to)") { () async throws(MISFailure) -> [MISSlot] in
            let slots = try MISAnswer.slots(try await self.call(request))
            self.freeTimes.store(slots, for: key, lifetime: self.policy.freeTimesLifetime)
            return slots
        }
    }

    /// Forgets shared free times of a doctor (the MIS said a time was taken) or of a whole clinic.
    /// (A booking or a cancellation made through this client keeps them right by itself.)
    public func forgetFreeTimes(clinic: String, doctor: String? = nil) {
        freeTimes.forget(clinic: clinic, doctor: doctor)
    }

    /// How current the doctor's shared free times for `from`–`to` are; read it before the times.
    public func freeTimesStamp(clinic: String, doctor: String, from: String, to: String) -> FreeTimesStamp {
        freeTimes.stamp(for: FreeTimesCache.Key(clinic: clinic, doctor: doctor, from: from, to: to))
    }

    /// The doctor's generation of shared free times: it moves on with every change to them.
    public func freeTimesGeneration(clinic: String, doctor: String) -> UInt64 {
        freeTimes.generation(clinic: clinic, doctor: doctor)
    }

    public func checkPatient(clinic: String, _ query: MISPatientQuery) async throws(MISFailure) -> MISPatient {
        try MISAnswer.patient(try await call(MISRequests.CheckPatient(clinic: try gatewayID(clinic), query: query)))
    }

    /// The people this gateway finds by one key (the call centre's search): at most ten, each with
    /// their cards, clinic ids as the registry names them.
    public func searchPatients(_ query: MISPersonQuery) async throws(MISFailure) -> MISPeople {
        let found = try MISAnswer.people(try await call(MISRequests.SearchPatients(query)))
        return MISPeople(people: found.people.map { person in
            MISPerson(policy: person.policy, lastName: person.lastName, firstName: person.firstName, middleName: person.middleName, birthDate: person.birthDate,
                      sex: person.sex, address: person.address, maskedDocument: person.maskedDocument, attachedClinicID: person.attachedClinicID.map(registryID),
                      attachedDistrict: person.attachedDistrict, cards: person.cards.map { MISPersonCard(clinic: registryID($0.clinic), patientID: $0.patientID) },
                      dispensarySpecialtyIDs: person.dispensarySpecialtyIDs)
        }, more: found.more)
    }

    /// The patient's cards in every clinic this gateway serves, in one call: CheckPatient without a
    /// clinic. A gateway that does not know that form (it asks for the clinic) is asked clinic by
    /// clinic instead, from then on. Throws when no clinic has a card: `severalPatientsFound` if any
    /// clinic found several, an outage if none could answer, otherwise `patientNotFound`.
    public func patientCards(_ query: MISPatientQuery) async throws(MISFailure) -> [MISClinicCard] {
        var declined = false
        if !asksClinicByClinic.withLock({ $0 }) {
            do {
                return try MISAnswer.patientCards(try await call(MISRequests.CheckPatient(clinic: nil, query: query))).map { MISClinicCard(clinic: registryID($0.clinic), patient: $0.patient) }
            } catch where error.code == .badRequest {
                declined = true
            }
        }
        let clinics = try await clinics()
        let lookups = await withTaskGroup(of: CardLookup.self) { group in
            for clinic in clinics {
                group.addTask {
                    do throws(MISFailure) {
                        return CardLookup(card: MISClinicCard(clinic: clinic.id, patient: try await self.checkPatient(clinic: clinic.id, query)), failure: nil)
                    } catch {
                        return CardLookup(card: nil, failure: error)
                    }
                }
            }
            var all: [CardLookup] = []
            for await lookup in group { all.append(lookup) }
            return all
        }
        // The clinic-less form was declined, but clinics answer when named: this gateway needs the clinic.
        if declined, lookups.contains(where: { $0.failure?.code != .badRequest }) {
            asksClinicByClinic.withLock { $0 = true }
            logger.info("gateway needs a clinic in CheckPatient; asking clinic by clinic", metadata: ["mis.endpoint": .string(endpoint.id)])
        }
        let cards = lookups.compactMap(\.card).sorted { $0.clinic < $1.clinic }
        guard cards.isEmpty else { return cards }
        let failures = lookups.compactMap(\.failure)
        if let several = failures.first(where: { $0.code == .severalPatientsFound }) { throw several }
        if let outage = failures.first(where: \.isOutage), failures.allSatisfy(\.isOutage) { throw outage }
        throw failures.first { $0.code == .patientNotFound } ?? MISFailure(.patientNotFound, message: "Пациент не найден")
    }

    /// One clinic's answer to CheckPatient. (A plain struct crosses the task group: a tuple holding a
    /// typed `Result` crashed release builds under load, Swift 6.3.1.)
    private struct CardLookup: Sendable {
        let card: MISClinicCard?
        let failure: MISFailure?
    }

    public func setAppointment(clinic: String, _ booking: MISBookingRequest) async throws(MISFailure) -> MISAppointment {
        let appointment = try MISAnswer.appointment(try await call(MISRequests.SetAppointment(clinic: try gatewayID(clinic), booking: booking))).named(clinic)
        // The time booked leaves the doctor's shared free times at once (for every page that shares them).
        freeTimes.remove(slot: appointment.slotID, clinic: clinic, doctor: appointment.doctorID)
        // A reschedule freed the previous time too, of a doctor this answer does not name: the
        // clinic's shared free times are asked anew.
        if booking.previousAppointmentID != nil { freeTimes.forget(clinic: clinic, doctor: nil) }
        return appointment
    }

    /// Cancels an appointment of `patient` (nil: a reservation made without a card, by the channel that made it).
    public func cancel(clinic: String, appointment: String, patient: String?, reason: String?, by channel: MISChannel, actor: String? = nil) async throws(MISFailure) -> MISAppointment {
        let request = MISRequests.CreateClaimForRefusal(clinic: try gatewayID(clinic), appointment: appointment, patient: patient, reason: reason, cancelledBy: channel, actor: actor)
        let cancelled = try MISAnswer.appointment(try await call(request)).named(clinic)
        // The freed time is offered again: the doctor's shared free times are asked anew.
        freeTimes.forget(clinic: clinic, doctor: cancelled.doctorID)
        return cancelled
    }

    public func history(clinic: String, patient: String) async throws(MISFailure) -> [MISAppointment] {
        try MISAnswer.appointments(try await call(MISRequests.PatientHistory(clinic: try gatewayID(clinic), patient: patient))).map { $0.named(clinic) }
    }

    /// A referral the patient holds for this clinic; `referralNotFound` when there is none.
    public func checkReferral(clinic: String, referral: String, patient: String) async throws(MISFailure) -> MISReferral {
        try MISAnswer.referral(try await call(MISRequests.CheckReferral(clinic: try gatewayID(clinic), referral: referral, patient: patient)))
    }

    public func changes(clinic: String, cursor: String) async throws(MISFailure) -> MISChangeBatch {
        try MISAnswer.changes(try await call(MISRequests.Changes(clinic: try gatewayID(clinic), cursor: cursor)))
    }

    /// Every slot of `from`…`to` (at most 31 days) with every booking made for it — staff data: the
    /// caller shows it to the clinic's staff only and audits the look. One doctor, or every doctor of
    /// the clinic; an answer the gateway cut short is continued until it is whole.
    public func schedule(clinic: String, doctor: String?, from: String, to: String) async throws(MISFailure) -> [MISScheduleDoctor] {
        let gatewayClinic = try gatewayID(clinic)
        var doctors: [MISScheduleDoctor] = [], after: String?
        for _ in 0..<Self.maximumSchedulePages {
            let page = try MISAnswer.schedule(try await call(MISRequests.Schedule(clinic: gatewayClinic, doctor: doctor, from: from, to: to, after: after)))
            doctors += page.doctors
            guard let next = page.next else { return doctors }
            // A gateway that does not move on would be asked for ever.
            guard next != after, page.doctors.last?.id == next else { throw MISFailure(.badAnswer, detail: "<schedule> next does not follow its doctors") }
            after = next
        }
        throw MISFailure(.badAnswer, detail: "<schedule> still incomplete after \(Self.maximumSchedulePages) answers")
    }

    /// A clinic's schedule in more answers than this is a gateway gone wrong.
    static let maximumSchedulePages = 200

    /// Whether the endpoint's circuit is open (calls refused without trying).
    public var isCircuitOpen: Bool { breaker.isOpen }

    /// Where this gateway's circuit breaker stands (for readiness reports).
    public var breakerPhase: CircuitBreaker.Phase { breaker.phase() }

    // MARK: Calls

    /// Reference data (districts, clinics, specialties, doctors), decoded once and reused for
    /// `referenceLifetime`; concurrent askers of the same thing share one call.
    private func reference<Request: MISRequest, Value: Sendable>(_ request: Request, _ decode: @escaping @Sendable (XMLElementView) throws(MISFailure) -> Value) async throws(MISFailure) -> Value {
        let key = request.parameters.reduce(Request.operation.rawValue) { $0 + "\u{0}" + $1.0 + "=" + $1.1 }
        if let hit = cache.value(for: key) as? Value { return hit }
        return try await shared(key) { () async throws(MISFailure) -> Value in
            let value = try decode(try await self.call(request))
            self.cache.store(value, for: key, lifetime: self.policy.referenceLifetime)
            return value
        }
    }

    /// Runs `work` once for everyone asking under `key` at the same time.
    private func shared<Value: Sendable>(_ key: String, _ work: @escaping @Sendable () async throws(MISFailure) -> Value) async throws(MISFailure) -> Value {
        let task = inFlight.withLock { flights in
            if let existing = flights[key] { return existing }
            let task = Task { () async throws -> any Sendable in
                defer { self.inFlight.withLock { $0[key] = nil } }
                return try await work()
            }
            flights[key] = task
            return task
        }
        do {
            guard let value = try await task.value as? Value else { throw MISFailure(.badAnswer, detail: "shared call \(key)") }
            return value
        } catch {
            throw (error as? MISFailure) ?? MISFailure(.unreachable, detail: "cancelled")
        }
    }

    /// One call to the gateway, with retries for reads; no cache. All attempts together end by the
    /// call's budget, or by the deadline of the page being served (`MISDeadline`) if that is sooner.
    func call<Request: MISRequest>(_ request: Request) async throws(MISFailure) -> XMLElementView {
        let operation = Request.operation, parameters = request.parameters
        let started = ContinuousClock.now
        let deadline = MISDeadline.current.map { min($0, started + policy.callBudget) } ?? started + policy.callBudget
        var attempt = 0
        while true {
            do throws(MISFailure) {
                let left = deadline - .now
                guard left > .zero else { throw MISFailure(.timeout, detail: "no time left for \(operation.rawValue)") }
                let payload = try await attemptCall(operation, parameters, timeout: min(policy.attemptTimeout, left))
                record(operation, started: started, outcome: "ok")
                return payload
            } catch {
                let pause = policy.retryPause + policy.retryPause * Double.random(in: 0...1)
                let retryable = !operation.isWrite && (error.kind == .timeout || error.kind == .unreachable) && attempt < policy.readRetries
                    && deadline - .now > pause + policy.minimumAttempt
                if retryable {
                    attempt += 1
                    try? await Task.sleep(for: pause)
                    continue
                }
                record(operation, started: started, outcome: error.label)
                throw error
            }
        }
    }

    private func attemptCall(_ operation: MISOperation, _ parameters: [(String, String)], timeout: Duration) async throws(MISFailure) -> XMLElementView {
        guard breaker.allowsCall() else { throw MISFailure(.circuitOpen, detail: endpoint.id) }
        let all = [("op", operation.rawValue)] + parameters
        let encoded = Self.formEncode(all)
        let method = operation.isWrite ? "POST" : "GET"
        var headers = signer.headers(method: method, path: path, parameters: all)
        let request: MISHTTPRequest
        if operation.isWrite {
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            request = MISHTTPRequest(method: method, url: endpoint.url, headers: headers, body: Array(encoded.utf8))
        } else {
            request = MISHTTPRequest(method: method, url: endpoint.url + "?" + encoded, headers: headers, body: nil)
        }
        do throws(MISFailure) {
            let response = try await transport.send(request, timeout: timeout)
            let payload = try MISResponse.payload(of: response.body, for: operation, reader: reader)
            guard response.status == 200 else { throw MISFailure(.badAnswer, detail: "HTTP \(response.status) with a payload") }
            breaker.recordSuccess()
            breakerGauge.record(0)
            return payload
        } catch {
            if error.isOutage { breaker.recordOutage() } else { breaker.recordSuccess() }
            breakerGauge.record(breaker.isOpen ? 1 : 0)
            throw error
        }
    }

    private func record(_ operation: MISOperation, started: ContinuousClock.Instant, outcome: String) {
        let elapsed = ContinuousClock.now - started
        callMetrics.record(operation, nanoseconds: Int64(elapsed.components.seconds) * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000, outcome: outcome)
        logger.debug("mis call", metadata: [
            "mis.operation": .string(operation.rawValue), "mis.endpoint": .string(endpoint.id), "mis.outcome": .string(outcome),
            "mis.duration_ms": .stringConvertible(Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)),
        ])
    }

    static func formEncode(_ parameters: [(String, String)]) -> String {
        parameters.map { RequestSigner.encode($0.0) + "=" + RequestSigner.encode($0.1) }.joined(separator: "&")
    }
}
