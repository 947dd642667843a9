import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MISBridge
import NIOCore

/// How the gateway admits callers.
public struct GatewayConfiguration: Sendable {
    /// Key ids and their secrets, one per registry allowed to call.
    public var keys: [String: String]
    /// When set, only these client IP addresses are answered (besides signature checks).
    public var allowedAddresses: Set<String>?
    /// The one URL path of the gateway.
    public var path: String

    public init(keys: [String: String], allowedAddresses: Set<String>? = nil, path: String = "/serverais") {
        self.keys = keys
        self.allowedAddresses = allowedAddresses
        self.path = path
    }
}

/// Request context of the gateway: knows the caller's address for the allow-list.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// The protocol endpoint of the reference MIS (docs/mis-protocol.md).
public struct Gateway: Sendable {
    public static let maximumBodyBytes = 64 * 1_024

    let mis: ReferenceMIS
    let configuration: GatewayConfiguration
    let endpoint: ProtocolEndpoint
    let clock: @Sendable () -> Date

    public init(mis: ReferenceMIS, configuration: GatewayConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.mis = mis
        self.configuration = configuration
        let allowed = configuration.allowedAddresses
        self.endpoint = ProtocolEndpoint(keys: configuration.keys, isAllowed: { address in allowed.map { $0.contains(address ?? "") } ?? true }, clock: clock)
        self.clock = clock
    }

    /// A router answering the protocol at the configured path.
    public func router() -> Router<GatewayRequestContext> {
        let router = Router(context: GatewayRequestContext.self)
        router.get(RouterPath(configuration.path)) { request, context in await answer(request, context) }
        router.post(RouterPath(configuration.path)) { request, context in await answer(request, context) }
        return router
    }

    func answer(_ request: Request, _ context: GatewayRequestContext) async -> Response {
        let parameters: Result<MISRequestParameters, MISFailure>
        do {
            parameters = .success(try await MISRequestParameters.read(request))
        } catch {
            parameters = .failure((error as? MISFailure) ?? MISFailure(.badRequest, message: "Запрос не прочитан"))
        }
        let (status, text) = await endpoint.answer(method: request.method.rawValue, path: request.uri.path, parameters: parameters, remoteAddress: context.remoteAddress,
                                                   header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }, logger: context.logger, perform: perform)
        return Self.xml(status, text)
    }

    /// The gateway's answer to one protocol request given in memory (no sockets): the same checks of
    /// address and signature, the same operations and errors as over HTTP. For tests of the
    /// registry's core that speak the protocol without a network.
    public func respond(to request: MISHTTPRequest) async -> MISHTTPResponse {
        let url = URLComponents(string: request.url)
        let serverPath = url?.path ?? ""
        let bytes = request.method == "POST" ? request.body ?? [] : Array((url?.percentEncodedQuery ?? "").utf8)
        let parameters = Result<MISRequestParameters, MISFailure> { () throws(MISFailure) in try MISRequestParameters(decoding: bytes) }
        let headers = request.headers
        let (status, text) = await endpoint.answer(method: request.method, path: serverPath, parameters: parameters, remoteAddress: "127.0.0.1",
                                                   header: { name in headers.first { $0.0.lowercased() == name.lowercased() }?.1 }, logger: Logger(label: "reference-mis.memory"),
                                                   perform: perform)
        return MISHTTPResponse(status: status, body: Array(text.utf8))
    }

    private static func xml(_ status: Int, _ text: String) -> Response {
        Response(
            status: .init(code: status),
            headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    @Sendable func perform(_ operation: MISOperation, _ parameters: MISRequestParameters) throws -> String {
        let now = clock()
        switch operation {
        case .getVersion:
            return MISResponse.success(operation) { writer in
                writer.empty("version", ["protocol": String(MISResponse.protocolVersion), "implementation": "Registratura reference MIS", "time": ProtocolTime.string(now, in: TimeZone(identifier: "UTC")!)])
            }
        case .getDistrictList:
            let districts = try mis.districts()
            return MISResponse.success(operation) { writer in
                writer.start("districts")
                for district in districts { district.write(into: &writer) }
            }
        case .getLPUList:
            let clinics = try mis.clinics(district: MISRequests.Clinics(parameters).district)
            return MISResponse.success(operation) { writer in
                writer.start("clinics")
                for clinic in clinics { clinic.write(into: &writer) }
            }
        case .getSpecialityList:
            let specialties = try mis.specialties(clinic: try MISRequests.Specialties(parameters).clinic, now: now)
            return MISResponse.success(operation) { writer in
                writer.start("specialties")
                for specialty in specialties { specialty.write(into: &writer) }
            }
        case .getDoctorList:
            let request = try MISRequests.Doctors(parameters)
            let doctors = try mis.doctors(clinic: request.clinic, specialty: request.specialty, now: now)
            return MISResponse.success(operation) { writer in
                writer.start("doctors")
                for doctor in doctors { doctor.write(into: &writer) }
            }
        case .getAvailableDates:
            let range = try MISRequests.AvailableDates(parameters).range
            let dates = try mis.availableDates(clinic: range.clinic, doctor: range.doctor, from: range.from, to: range.to, now: now)
            return MISResponse.success(operation) { writer in
                writer.start("dates")
                for date in dates { date.write(into: &writer) }
            }
        case .getAvailableAppointments:
            let range = try MISRequests.AvailableAppointments(parameters).range
            let zone = try zone(of: range.clinic)
            let slots = try mis.availableAppointments(clinic: range.clinic, doctor: range.doctor, from: range.from, to: range.to, now: now)
            return MISResponse.success(operation) { writer in
                writer.start("slots")
                for slot in slots { slot.write(into: &writer, zone: zone) }
            }
        case .checkPatient:
            let request = try MISRequests.CheckPatient(parameters)
            guard let clinic = request.clinic else {
                let cards = try mis.patientCards(request.query)
                return MISResponse.success(operation) { writer in
                    writer.start("patients")
                    for card in cards { card.patient.write(into: &writer, clinic: card.clinic) }
                }
            }
            let patient = try mis.checkPatient(clinic: clinic, request.query)
            return MISResponse.success(operation) { writer in patient.write(into: &writer) }
        case .setAppointment:
            let request = try MISRequests.SetAppointment(parameters)
            let appointment = try mis.setAppointment(clinic: request.clinic, request.booking, now: now)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .createClaimForRefusal:
            let request = try MISRequests.CreateClaimForRefusal(parameters)
            let appointment = try mis.cancel(clinic: request.clinic, appointment: request.appointment, patient: request.patient, reason: request.reason, by: request.cancelledBy,
                                             actor: request.actor, now: now)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .getPatientHistory:
            let request = try MISRequests.PatientHistory(parameters)
            let appointments = try mis.history(clinic: request.clinic, patient: request.patient)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in
                writer.start("appointments")
                for appointment in appointments { appointment.write(into: &writer, zone: zone) }
            }
        case .searchPatients:
            let found = try mis.searchPatients(try MISRequests.SearchPatients(parameters).query)
            return MISResponse.success(operation) { writer in
                writer.start("people", ["more": found.more ? "true" : "false"])
                for person in found.people { person.write(into: &writer) }
            }
        case .checkReferral:
            let request = try MISRequests.CheckReferral(parameters)
            let referral = try mis.checkReferral(clinic: request.clinic, number: request.referral, patient: request.patient, now: now)
            return MISResponse.success(operation) { writer in referral.write(into: &writer) }
        case .getChanges:
            let request = try MISRequests.Changes(parameters)
            let batch = try mis.changes(clinic: request.clinic, cursor: request.cursor)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in
                writer.start("changes", ["cursor": batch.cursor])
                for change in batch.changes { change.write(into: &writer, zone: zone) }
            }
        case .getReservationList:
            let request = try MISRequests.ReservationList(parameters)
            let reservations = try mis.reservations(clinic: request.clinic)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in
                writer.start("reservations")
                for reservation in reservations { reservation.write(into: &writer, zone: zone) }
            }
        case .confirmReservation:
            let request = try MISRequests.ConfirmReservation(parameters)
            let appointment = try mis.confirmReservation(clinic: request.clinic, appointment: request.appointment, patient: request.patient, actor: request.actor, now: now)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .refuseReservation:
            let request = try MISRequests.RefuseReservation(parameters)
            let appointment = try mis.refuseReservation(clinic: request.clinic, appointment: request.appointment, reason: request.reason, text: request.text, actor: request.actor, now: now)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .moveAppointment:
            let request = try MISRequests.MoveAppointment(parameters)
            let appointment = try mis.moveAppointment(clinic: request.clinic, appointment: request.appointment, slot: request.slot, reason: request.reason, actor: request.actor, now: now)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .createPatient:
            let request = try MISRequests.CreatePatient(parameters)
            let patient = try mis.createPatient(clinic: request.clinic, person: request.person, now: now)
            return MISResponse.success(operation) { writer in patient.write(into: &writer) }
        case .getSchedule:
            let request = try MISRequests.Schedule(parameters)
            let schedule = try mis.schedule(clinic: request.clinic, doctor: request.doctor, from: request.from, to: request.to, after: request.after)
            let zone = try zone(of: request.clinic)
            return MISResponse.success(operation) { writer in schedule.write(into: &writer, zone: zone) }
        }
    }

    private func zone(of clinic: String) throws -> TimeZone {
        TimeZone(identifier: try mis.clinic(clinic).timeZone) ?? TimeZone(identifier: "UTC")!
    }
}

extension MISRequestParameters {
    /// The parameters of a protocol request: the query of a GET, the form body of a POST.
    static func read(_ request: Request) async throws -> MISRequestParameters {
        if request.method == .post {
            guard let body = try? await request.body.collect(upTo: Gateway.maximumBodyBytes) else {
                throw MISFailure(.badRequest, message: "Запрос слишком большой")
            }
            return try MISRequestParameters(decoding: body.readableBytesView)
        }
        return try MISRequestParameters(decoding: (request.uri.query ?? "").utf8)
    }
}
