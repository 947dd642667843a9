import Foundation

/// Checks any gateway against the protocol (docs/mis-protocol.md): authentication, errors, every
/// answer valid against the XSD, consistent schedules and, given a test patient, a booking round.
public struct ConformanceCheck: Sendable {
    /// The outcome of one check.
    public struct Result: Sendable {
        /// Passed, failed, or could not be checked with what was given.
        public enum Verdict: String, Sendable { case pass = "PASS", fail = "FAIL", skip = "SKIP" }

        public let name: String
        public let verdict: Verdict
        public let note: String?

        /// `PASS  name` or `FAIL  name — note`.
        public var line: String {
            "\(verdict.rawValue)  \(name)" + (note.map { " — \($0)" } ?? "")
        }
    }

    /// What is checked: a clinic's gateway, or a registry's door for the federal portal (public
    /// reads and reservations for a person's own data; every staff operation refused).
    public enum Profile: Sendable { case gateway, federalDoor }

    let endpoint: MISEndpoint
    let transport: any MISTransport
    let schema: XMLSchemaValidator
    /// A patient the gateway knows, for the booking checks: policy and birth date.
    let testPatient: (policy: String, birthDate: String)?
    let profile: Profile

    public init(endpoint: MISEndpoint, transport: any MISTransport, schema: XMLSchemaValidator, testPatient: (policy: String, birthDate: String)?, profile: Profile = .gateway) {
        self.endpoint = endpoint
        self.transport = transport
        self.schema = schema
        self.testPatient = testPatient
        self.profile = profile
    }

    /// The made-up person the federal profile reserves for (36 on 2026-06-01): a unified policy with its check digit.
    static func portalPerson() -> MISPersonDetails {
        let first15 = "7799" + String((0..<11).map { _ in Character(String(Int.random(in: 0...9))) })
        var sum = 0
        for (position, character) in first15.reversed().enumerated() {
            let digit = Int(character.asciiValue! - 48)
            let weighted = position % 2 == 0 ? digit * 2 : digit
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return MISPersonDetails(lastName: "Проверкина", firstName: "Анна", middleName: "Сергеевна", birthDate: "1990-01-01", sex: "female", policy: first15 + String((10 - sum % 10) % 10))
    }

    /// Whether a specialty is one the check books in: open to anyone (and, at a portal's door, to a person of 36 without attachment).
    private func booksIn(_ specialty: MISSpecialty) -> Bool {
        guard specialty.selfBooking == .open, specialty.freeCount > 0 else { return false }
        return profile == .gateway || (!specialty.attachedOnly && (specialty.minimumAge ?? 0) <= 36 && (specialty.maximumAge ?? 150) >= 36)
    }

    public func run() async -> [Result] {
        var results: [Result] = []
        let signer = RequestSigner(keyID: endpoint.keyID, secret: endpoint.secret)

        results.append(await check("GetVersion answers protocol version 1") {
            let version = try MISAnswer.version(try await payload(MISRequests.Version(), signer))
            guard version.protocolVersion == 1 else { throw Failure("protocol \(version.protocolVersion)") }
            return version.implementation
        })
        results.append(await check("unsigned request is refused with error 10") {
            try expectError(10, try await exchange(.getDistrictList, [], signer: nil))
            return nil
        })
        results.append(await check("wrong signature is refused with error 10") {
            try expectError(10, try await exchange(.getDistrictList, [], signer: RequestSigner(keyID: endpoint.keyID, secret: endpoint.secret + "-wrong")))
            return nil
        })
        results.append(await check("replayed request is refused with error 10") {
            let headers = signer.headers(method: "GET", path: path, parameters: [("op", "GetDistrictList")])
            _ = try await raw("GET", [("op", "GetDistrictList")], headers: headers)
            try expectError(10, try await raw("GET", [("op", "GetDistrictList")], headers: headers))
            return nil
        })
        results.append(await check("stale timestamp is refused with error 10") {
            let headers = signer.headers(method: "GET", path: path, parameters: [("op", "GetDistrictList")], now: Date().addingTimeInterval(-3_600))
            try expectError(10, try await raw("GET", [("op", "GetDistrictList")], headers: headers))
            return nil
        })
        results.append(await check("unknown operation is error 9") {
            let parameters = [("op", "NoSuchOperation")]
            try expectError(9, try await raw("GET", parameters, headers: signer.headers(method: "GET", path: path, parameters: parameters)))
            return nil
        })
        results.append(await check("missing parameter is error 9") {
            try expectError(9, try await exchange(.getDoctorList, [], signer: signer))
            return nil
        })
        results.append(await check("a write sent with GET is error 9") {
            let parameters = [("op", "SetAppointment"), ("clinic", "x")]
            try expectError(9, try await raw("GET", parameters, headers: signer.headers(method: "GET", path: path, parameters: parameters)))
            return nil
        })

        var clinic: MISClinic?
        results.append(await check("GetDistrictList and GetLPUList list the region") {
            let districts = try MISAnswer.districts(try await payload(MISRequests.Districts(), signer))
            let clinics = try MISAnswer.clinics(try await payload(MISRequests.Clinics(district: nil), signer))
            guard !districts.isEmpty, let first = clinics.first else { throw Failure("no districts or clinics") }
            clinic = first
            return "\(districts.count) districts, \(clinics.count) clinics"
        })
        var bookable: (doctor: MISDoctor, slot: MISSlot)?
        results.append(await check("schedules agree: dates, free counts and slots") {
            guard let clinic else { throw Skip("no clinic") }
            let specialties = try MISAnswer.specialties(try await payload(MISRequests.Specialties(clinic: clinic.id), signer))
            guard let specialty = specialties.first(where: booksIn) else { throw Skip("no open specialty with free times") }
            let doctors = try MISAnswer.doctors(try await payload(MISRequests.Doctors(clinic: clinic.id, specialty: specialty.id), signer))
            guard let doctor = doctors.first(where: { $0.freeCount > 0 }), let first = doctor.nearestDate, let last = doctor.lastDate else { throw Failure("specialty has free times but no doctor does") }
            let dates = try MISAnswer.dates(try await payload(MISRequests.AvailableDates(.init(clinic: clinic.id, doctor: doctor.id, from: first, to: last)), signer))
            guard dates.reduce(0, { $0 + $1.freeCount }) == doctor.freeCount else { throw Failure("dates do not add up to the doctor's free count") }
            let slots = try MISAnswer.slots(try await payload(MISRequests.AvailableAppointments(.init(clinic: clinic.id, doctor: doctor.id, from: first, to: first)), signer))
            guard slots.count == dates.first?.freeCount, let slot = slots.first else { throw Failure("slots of the first day do not match its free count") }
            guard slots.allSatisfy({ $0.start < $0.end }) else { throw Failure("a slot ends before it starts") }
            bookable = (doctor, slot)
            return "doctor \(doctor.id): \(doctor.freeCount) free"
        })
        if profile == .federalDoor {
            results.append(contentsOf: await federalChecks(clinic: clinic, bookable: bookable, signer: signer))
            return results
        }
        results.append(await check("GetSchedule: the doctor's free slots among their day's slots, in time order; a whole clinic page by page; a period over 31 days is error 9") {
            guard let clinic, let bookable else { throw Skip("nothing bookable") }
            let day = ProtocolTime.day(bookable.slot.start, in: TimeZone(identifier: clinic.timeZone) ?? .current)
            let free = try MISAnswer.slots(try await payload(MISRequests.AvailableAppointments(.init(clinic: clinic.id, doctor: bookable.doctor.id, from: day, to: day)), signer))
            let schedule = try MISAnswer.schedule(try await payload(MISRequests.Schedule(clinic: clinic.id, doctor: bookable.doctor.id, from: day, to: day), signer))
            guard schedule.next == nil, schedule.doctors.count == 1, let doctor = schedule.doctors.first, doctor.id == bookable.doctor.id else { throw Failure("not the one doctor asked for") }
            guard zip(doctor.slots, doctor.slots.dropFirst()).allSatisfy({ $0.start < $1.start }) else { throw Failure("slots out of time order") }
            let freeHere = Set(doctor.slots.filter { $0.state == .free }.map(\.id))
            guard Set(free.map(\.id)).isSubset(of: freeHere) else { throw Failure("a free slot of GetAvailableAppointments is not free in GetSchedule") }
            var doctors = 0, after: String?, pages = 0
            repeat {
                let page = try MISAnswer.schedule(try await payload(MISRequests.Schedule(clinic: clinic.id, doctor: nil, from: day, to: day, after: after), signer))
                guard page.next == nil || page.next == page.doctors.last?.id else { throw Failure("next is not the last doctor of the page") }
                doctors += page.doctors.count
                after = page.next
                pages += 1
            } while after != nil && pages < 100
            guard after == nil else { throw Failure("the clinic's schedule never completes") }
            try expectError(9, try await exchange(.getSchedule, MISRequests.Schedule(clinic: clinic.id, doctor: nil, from: "2026-01-01", to: "2026-03-01").parameters, signer: signer))
            return "\(doctor.slots.count) slots of doctor \(doctor.id) on \(day); \(doctors) doctors in \(pages) answers"
        })
        results.append(await check("unknown patient is error 1") {
            guard let clinic else { throw Skip("no clinic") }
            try expectError(1, try await exchange(.checkPatient, MISRequests.CheckPatient(clinic: clinic.id, query: MISPatientQuery(policy: "0000000000000000", birthDate: "1900-01-01")).parameters, signer: signer))
            return nil
        })
        results.append(await check("CheckPatient without a clinic (optional): the card in each clinic, or error 9") {
            guard let testPatient else { throw Skip("give --policy and --birth-date of a test patient") }
            let response = try await exchange(.checkPatient, MISRequests.CheckPatient(clinic: nil, query: MISPatientQuery(policy: testPatient.policy, birthDate: testPatient.birthDate)).parameters, signer: signer)
            let cards: [MISClinicCard]
            do throws(MISFailure) {
                cards = try MISAnswer.patientCards(try MISResponse.payload(of: response.body, for: .checkPatient))
            } catch where error.code == .badRequest {
                return "not offered: the registry asks clinic by clinic"
            } catch {
                throw error
            }
            guard !cards.isEmpty, Set(cards.map(\.clinic)).count == cards.count else { throw Failure("no card, or a clinic twice") }
            return "\(cards.count) clinics"
        })
        results.append(await check("SearchPatients: by the test patient's policy, the person with their cards; nobody is an empty list; two keys are error 9") {
            guard let testPatient else { throw Skip("give --policy and --birth-date of a test patient") }
            let found = try MISAnswer.people(try await payload(MISRequests.SearchPatients(.policy(testPatient.policy)), signer))
            guard let person = found.people.first(where: { $0.birthDate == testPatient.birthDate }) else { throw Failure("the test patient was not found by their policy") }
            guard !person.cards.isEmpty, !person.maskedDocument.isEmpty else { throw Failure("the person has no card or no document") }
            let nobody = try MISAnswer.people(try await payload(MISRequests.SearchPatients(.snils("00000000000")), signer))
            guard nobody.people.isEmpty, !nobody.more else { throw Failure("a search for nobody found someone") }
            var twoKeys = MISRequests.SearchPatients(.policy(testPatient.policy)).parameters
            twoKeys.append(("snils", "00000000000"))
            try expectError(9, try await exchange(.searchPatients, twoKeys, signer: signer))
            return "\(found.people.count) found, \(person.cards.count) cards"
        })
        results.append(await check("booking round: book, repeat, taken, history, cancel") {
            guard let testPatient else { throw Skip("give --policy and --birth-date of a test patient") }
            guard let clinic, let bookable else { throw Skip("nothing bookable") }
            let patient = try MISAnswer.patient(try await payload(MISRequests.CheckPatient(clinic: clinic.id, query: MISPatientQuery(policy: testPatient.policy, birthDate: testPatient.birthDate)), signer))
            let requestID = "conformance-" + RequestSigner.makeNonce()
            let booking = MISRequests.SetAppointment(clinic: clinic.id, booking: MISBookingRequest(slotID: bookable.slot.id, patientID: patient.id, channel: .other, requestID: requestID))
            let appointment = try MISAnswer.appointment(try await payload(booking, signer))
            let repeated = try MISAnswer.appointment(try await payload(booking, signer))
            guard repeated.id == appointment.id else { throw Failure("a repeated requestId made a second appointment") }
            let second = MISRequests.SetAppointment(clinic: clinic.id, booking: MISBookingRequest(slotID: bookable.slot.id, patientID: patient.id, channel: .other, requestID: requestID + "-2"))
            try expectError(4, try await exchange(MISRequests.SetAppointment.operation, second.parameters, signer: signer))
            let history = try MISAnswer.appointments(try await payload(MISRequests.PatientHistory(clinic: clinic.id, patient: patient.id), signer))
            guard history.contains(where: { $0.id == appointment.id && $0.status == .active }) else { throw Failure("history lacks the new appointment") }
            let cancelled = try MISAnswer.appointment(try await payload(MISRequests.CreateClaimForRefusal(clinic: clinic.id, appointment: appointment.id, patient: patient.id, reason: nil, cancelledBy: .other), signer))
            guard cancelled.status == .cancelled else { throw Failure("cancellation did not cancel") }
            return "ticket \(appointment.ticket ?? "(none)")"
        })
        results.append(await check("reservations: reserved, listed, confirmed once (again is error 13); refused with a reason; CreatePatient answers the card a person has; GetChanges tells both") {
            guard let testPatient else { throw Skip("give --policy and --birth-date of a test patient") }
            guard let clinic, let bookable else { throw Skip("nothing bookable") }
            let patient = try MISAnswer.patient(try await payload(MISRequests.CheckPatient(clinic: clinic.id, query: MISPatientQuery(policy: testPatient.policy, birthDate: testPatient.birthDate)), signer))
            func reserve() async throws -> MISAppointment {
                let request = MISBookingRequest(slotID: bookable.slot.id, patientID: patient.id, channel: .other, requestID: "conformance-" + RequestSigner.makeNonce(), reserve: true)
                let reserved = try MISAnswer.appointment(try await payload(MISRequests.SetAppointment(clinic: clinic.id, booking: request), signer))
                guard reserved.status == .reserved else { throw Failure("reserve=true made an appointment \(reserved.status.rawValue)") }
                return reserved
            }
            let first = try await reserve()
            let listed = try MISAnswer.reservations(try await payload(MISRequests.ReservationList(clinic: clinic.id), signer))
            guard listed.contains(where: { $0.appointment.id == first.id && $0.person.birthDate == testPatient.birthDate }) else { throw Failure("GetReservationList lacks the reservation") }
            let confirm = MISRequests.ConfirmReservation(clinic: clinic.id, appointment: first.id, patient: patient.id, actor: "conformance")
            guard try MISAnswer.appointment(try await payload(confirm, signer)).status == .active else { throw Failure("confirmation did not make it active") }
            try expectError(13, try await exchange(.confirmReservation, confirm.parameters, signer: signer))
            _ = try MISAnswer.appointment(try await payload(MISRequests.CreateClaimForRefusal(clinic: clinic.id, appointment: first.id, patient: patient.id, reason: nil, cancelledBy: .other), signer))
            let second = try await reserve()
            let refuse = MISRequests.RefuseReservation(clinic: clinic.id, appointment: second.id, reason: .otherReasons, text: "Проверка протокола", actor: "conformance")
            let refused = try MISAnswer.appointment(try await payload(refuse, signer))
            guard refused.status == .cancelled, refused.refusal == .otherReasons else { throw Failure("refusal did not cancel with its reason") }
            try expectError(13, try await exchange(.refuseReservation, refuse.parameters, signer: signer))
            let found = try MISAnswer.people(try await payload(MISRequests.SearchPatients(.policy(testPatient.policy)), signer))
            guard let person = found.people.first(where: { $0.birthDate == testPatient.birthDate }) else { throw Failure("the test patient was not found by their policy") }
            let details = MISPersonDetails(lastName: person.lastName, firstName: person.firstName, middleName: person.middleName, birthDate: person.birthDate, sex: person.sex, policy: person.policy)
            let card = try MISAnswer.patient(try await payload(MISRequests.CreatePatient(clinic: clinic.id, person: details), signer))
            guard card.id == patient.id else { throw Failure("CreatePatient opened a second card for a person who has one") }
            var cursor = "0", seen: [MISChange] = []
            for _ in 0..<1_000 {
                let batch = try MISAnswer.changes(try await payload(MISRequests.Changes(clinic: clinic.id, cursor: cursor), signer))
                seen += batch.changes.filter { $0.appointmentID == first.id || $0.appointmentID == second.id }
                if batch.changes.isEmpty || batch.cursor == cursor { break }
                cursor = batch.cursor
            }
            guard seen.contains(where: { $0.kind == .confirmed && $0.appointmentID == first.id && $0.patientID == patient.id }),
                seen.contains(where: { $0.kind == .refused && $0.appointmentID == second.id && $0.refusal == .otherReasons })
            else { throw Failure("GetChanges lacks the confirmation or the refusal") }
            return "\(listed.count) awaiting the clinic"
        })
        results.append(await check("an unknown referral is error 12") {
            guard let testPatient else { throw Skip("give --policy and --birth-date of a test patient") }
            guard let clinic else { throw Skip("no clinic") }
            let patient = try MISAnswer.patient(try await payload(MISRequests.CheckPatient(clinic: clinic.id, query: MISPatientQuery(policy: testPatient.policy, birthDate: testPatient.birthDate)), signer))
            let unknown = "conformance-" + RequestSigner.makeNonce().prefix(12)
            try expectError(12, try await exchange(.checkReferral, MISRequests.CheckReferral(clinic: clinic.id, referral: String(unknown), patient: patient.id).parameters, signer: signer))
            return nil
        })
        results.append(await check("GetChanges answers with a cursor") {
            guard let clinic else { throw Skip("no clinic") }
            _ = try MISAnswer.changes(try await payload(MISRequests.Changes(clinic: clinic.id, cursor: "0"), signer))
            return nil
        })
        return results
    }

    /// What a door for the federal portal must do besides the public reads: refuse every staff
    /// operation, and take a reservation for a person's own data through to its cancellation.
    private func federalChecks(clinic: MISClinic?, bookable: (doctor: MISDoctor, slot: MISSlot)?, signer: RequestSigner) async -> [Result] {
        var results: [Result] = []
        results.append(await check("staff operations are refused with error 9: GetSchedule, SearchPatients, GetReservationList, CheckPatient, ConfirmReservation, CreatePatient") {
            let clinicID = clinic?.id ?? "1"
            try expectError(9, try await exchange(.getSchedule, MISRequests.Schedule(clinic: clinicID, doctor: nil, from: "2026-01-01", to: "2026-01-02").parameters, signer: signer))
            try expectError(9, try await exchange(.searchPatients, MISRequests.SearchPatients(.snils("00000000000")).parameters, signer: signer))
            try expectError(9, try await exchange(.getReservationList, MISRequests.ReservationList(clinic: clinicID).parameters, signer: signer))
            try expectError(9, try await exchange(.checkPatient, MISRequests.CheckPatient(clinic: clinicID, query: MISPatientQuery(policy: "0000000000000000", birthDate: "1990-01-01")).parameters, signer: signer))
            try expectError(9, try await exchange(.confirmReservation, MISRequests.ConfirmReservation(clinic: clinicID, appointment: "1", patient: "1", actor: nil).parameters, signer: signer))
            try expectError(9, try await exchange(.createPatient, MISRequests.CreatePatient(clinic: clinicID, person: Self.portalPerson()).parameters, signer: signer))
            return nil
        })
        results.append(await check("reservation round: a person's own data reserved (not an appointment), repeated the same, the time then taken, in the history, cancelled by the portal") {
            guard let clinic, let bookable else { throw Skip("nothing bookable") }
            let person = Self.portalPerson()
            let requestID = "conformance-" + RequestSigner.makeNonce()
            let booking = MISRequests.SetAppointment(clinic: clinic.id, booking: MISBookingRequest(slotID: bookable.slot.id, person: person, channel: .federalPortal, requestID: requestID))
            let reserved = try MISAnswer.appointment(try await payload(booking, signer))
            guard reserved.status == .reserved, let patient = reserved.patientID else { throw Failure("the door made \(reserved.status.rawValue), or named no person") }
            guard try MISAnswer.appointment(try await payload(booking, signer)).id == reserved.id else { throw Failure("a repeated requestId made a second reservation") }
            let second = MISRequests.SetAppointment(clinic: clinic.id, booking: MISBookingRequest(slotID: bookable.slot.id, person: Self.portalPerson(), channel: .federalPortal, requestID: requestID + "-2"))
            try expectError(4, try await exchange(.setAppointment, second.parameters, signer: signer))
            let history = try MISAnswer.appointments(try await payload(MISRequests.PatientHistory(clinic: clinic.id, patient: patient), signer))
            guard history.contains(where: { $0.id == reserved.id }) else { throw Failure("the person's history lacks the reservation") }
            let cancelled = try MISAnswer.appointment(try await payload(MISRequests.CreateClaimForRefusal(clinic: clinic.id, appointment: reserved.id, patient: patient, reason: "проверка", cancelledBy: .federalPortal), signer))
            guard cancelled.status == .cancelled else { throw Failure("the cancellation did not cancel") }
            _ = try MISAnswer.changes(try await payload(MISRequests.Changes(clinic: clinic.id, cursor: "0"), signer))
            return "reserved and cancelled \(reserved.id)"
        })
        return results
    }

    private func check(_ name: String, _ body: () async throws -> String?) async -> Result {
        do {
            return Result(name: name, verdict: .pass, note: try await body())
        } catch let skip as Skip {
            return Result(name: name, verdict: .skip, note: skip.reason)
        } catch {
            return Result(name: name, verdict: .fail, note: "\(error)")
        }
    }

    // MARK: Exchanges

    private var path: String { URL(string: endpoint.url)?.path ?? "/" }

    private func payload<Request: MISRequest>(_ request: Request, _ signer: RequestSigner) async throws -> XMLElementView {
        let response = try await exchange(Request.operation, request.parameters, signer: signer)
        guard response.status == 200 else { throw Failure("HTTP \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))") }
        return try MISResponse.payload(of: response.body, for: Request.operation)
    }

    private func exchange(_ operation: MISOperation, _ parameters: [(String, String)], signer: RequestSigner?) async throws -> MISHTTPResponse {
        let all = [("op", operation.rawValue)] + parameters
        let method = operation.isWrite ? "POST" : "GET"
        return try await raw(method, all, headers: signer?.headers(method: method, path: path, parameters: all) ?? [])
    }

    /// Sends a request as given and checks the answer against the schema.
    private func raw(_ method: String, _ parameters: [(String, String)], headers: [(String, String)]) async throws -> MISHTTPResponse {
        let encoded = MISClient.formEncode(parameters)
        let request = method == "POST"
            ? MISHTTPRequest(method: method, url: endpoint.url, headers: headers + [("Content-Type", "application/x-www-form-urlencoded")], body: Array(encoded.utf8))
            : MISHTTPRequest(method: method, url: endpoint.url + "?" + encoded, headers: headers, body: nil)
        let response = try await transport.send(request, timeout: .seconds(10))
        let problems = schema.problems(in: response.body)
        guard problems.isEmpty else { throw Failure("answer breaks the XSD: \(problems.prefix(2).joined(separator: "; "))") }
        return response
    }

    private func expectError(_ code: Int, _ response: MISHTTPResponse) throws {
        var received: MISFailure?
        do {
            _ = try MISResponse.payload(of: response.body, for: .getVersion)
        } catch {
            received = error
        }
        guard let actual = received?.code, actual.rawValue == code else {
            throw Failure("expected error \(code), got \(received.map(\.description) ?? "an answer")")
        }
        guard response.status == actual.httpStatus else { throw Failure("HTTP \(response.status) with error \(code)") }
    }
}

private struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

private struct Skip: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
