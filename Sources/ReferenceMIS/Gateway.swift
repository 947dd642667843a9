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
    let verifier: SignatureVerifier
    let clock: @Sendable () -> Date

    public init(mis: ReferenceMIS, configuration: GatewayConfiguration, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.mis = mis
        self.configuration = configuration
        self.verifier = SignatureVerifier(keys: configuration.keys)
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
        var operationName: String?
        do {
            if let allowed = configuration.allowedAddresses, !allowed.contains(context.remoteAddress ?? "") {
                throw MISFailure(.unauthorised, message: "Адрес вызывающего не разрешён")
            }
            let parameters = try await GatewayParameters.read(request)
            operationName = parameters.optional("op")
            try verifier.verify(method: request.method.rawValue, path: request.uri.path, parameters: parameters.pairs,
                                header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }, now: clock())
            guard let name = operationName, let operation = MISOperation(rawValue: name) else {
                throw MISFailure(.badRequest, message: "Неизвестная операция")
            }
            guard operation.isWrite == (request.method == .post) else {
                throw MISFailure(.badRequest, message: operation.isWrite ? "Изменения передаются методом POST" : "Чтение выполняется методом GET")
            }
            return Self.xml(200, try perform(operation, parameters))
        } catch let failure as MISFailure {
            let code = failure.code ?? .internal
            // Only a known operation name is echoed back; anything else the caller sent stays out.
            let known = operationName.flatMap(MISOperation.init(rawValue:))?.rawValue
            return Self.xml(code.httpStatus, MISResponse.failure(known, code, failure.detail ?? ""))
        } catch {
            context.logger.error("gateway failure", metadata: ["error.type": .string(String(describing: type(of: error))), "mis.operation": .string(operationName ?? "-")])
            return Self.xml(500, MISResponse.failure(operationName.flatMap(MISOperation.init(rawValue:))?.rawValue, .internal, "Внутренняя ошибка МИС"))
        }
    }

    private static func xml(_ status: Int, _ text: String) -> Response {
        Response(
            status: .init(code: status),
            headers: [.contentType: "application/xml; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    func perform(_ operation: MISOperation, _ parameters: GatewayParameters) throws -> String {
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
            let clinics = try mis.clinics(district: parameters.optional("district"))
            return MISResponse.success(operation) { writer in
                writer.start("clinics")
                for clinic in clinics { clinic.write(into: &writer) }
            }
        case .getSpecialityList:
            let specialties = try mis.specialties(clinic: try parameters.required("clinic"), now: now)
            return MISResponse.success(operation) { writer in
                writer.start("specialties")
                for specialty in specialties { specialty.write(into: &writer) }
            }
        case .getDoctorList:
            let doctors = try mis.doctors(clinic: try parameters.required("clinic"), specialty: try parameters.required("specialty"), now: now)
            return MISResponse.success(operation) { writer in
                writer.start("doctors")
                for doctor in doctors { doctor.write(into: &writer) }
            }
        case .getAvailableDates:
            let dates = try mis.availableDates(clinic: try parameters.required("clinic"), doctor: try parameters.required("doctor"), from: try parameters.required("from"), to: try parameters.required("to"), now: now)
            return MISResponse.success(operation) { writer in
                writer.start("dates")
                for date in dates { date.write(into: &writer) }
            }
        case .getAvailableAppointments:
            let clinic = try parameters.required("clinic")
            let zone = try zone(of: clinic)
            let slots = try mis.availableAppointments(clinic: clinic, doctor: try parameters.required("doctor"), from: try parameters.required("from"), to: try parameters.required("to"), now: now)
            return MISResponse.success(operation) { writer in
                writer.start("slots")
                for slot in slots { slot.write(into: &writer, zone: zone) }
            }
        case .checkPatient:
            let birthDate = try parameters.required("birthDate")
            guard ProtocolTime.isDay(birthDate) else { throw MISFailure(.badRequest, message: "Дата рождения должна быть в виде ГГГГ-ММ-ДД") }
            let query = MISPatientQuery(policy: try parameters.required("policy"), birthDate: birthDate, document: parameters.optional("document"), snils: parameters.optional("snils"), lastName: parameters.optional("lastName"))
            guard let clinic = parameters.optional("clinic") else {
                let cards = try mis.patientCards(query)
                return MISResponse.success(operation) { writer in
                    writer.start("patients")
                    for card in cards { card.patient.write(into: &writer, clinic: card.clinic) }
                }
            }
            let patient = try mis.checkPatient(clinic: clinic, query)
            return MISResponse.success(operation) { writer in patient.write(into: &writer) }
        case .setAppointment:
            let clinic = try parameters.required("clinic")
            guard let channel = MISChannel(rawValue: try parameters.required("channel")) else { throw MISFailure(.badRequest, message: "Неизвестный канал записи") }
            let booking = MISBookingRequest(
                slotID: try parameters.required("slot"), patientID: try parameters.required("patient"), channel: channel,
                requestID: try parameters.required("requestId"), previousAppointmentID: parameters.optional("previousAppointment"), referral: parameters.optional("referral")
            )
            let appointment = try mis.setAppointment(clinic: clinic, booking, now: now)
            let zone = try zone(of: clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .createClaimForRefusal:
            let clinic = try parameters.required("clinic")
            let channel = parameters.optional("cancelledBy").flatMap(MISChannel.init(rawValue:)) ?? .other
            let appointment = try mis.cancel(clinic: clinic, appointment: try parameters.required("appointment"), patient: try parameters.required("patient"), reason: parameters.optional("reason"), by: channel, now: now)
            let zone = try zone(of: clinic)
            return MISResponse.success(operation) { writer in appointment.write(into: &writer, zone: zone) }
        case .getPatientHistory:
            let clinic = try parameters.required("clinic")
            let appointments = try mis.history(clinic: clinic, patient: try parameters.required("patient"))
            let zone = try zone(of: clinic)
            return MISResponse.success(operation) { writer in
                writer.start("appointments")
                for appointment in appointments { appointment.write(into: &writer, zone: zone) }
            }
        case .getChanges:
            let clinic = try parameters.required("clinic")
            let batch = try mis.changes(clinic: clinic, cursor: try parameters.required("cursor"))
            let zone = try zone(of: clinic)
            return MISResponse.success(operation) { writer in
                writer.start("changes", ["cursor": batch.cursor])
                for change in batch.changes { change.write(into: &writer, zone: zone) }
            }
        }
    }

    private func zone(of clinic: String) throws -> TimeZone {
        TimeZone(identifier: try mis.clinic(clinic).timeZone) ?? TimeZone(identifier: "UTC")!
    }
}

/// The parameters of a protocol request: the query of a GET, the form body of a POST.
struct GatewayParameters {
    let pairs: [(String, String)]

    static func read(_ request: Request) async throws -> GatewayParameters {
        let text = request.uri.query ?? ""
        if request.method == .post {
            guard let body = try? await request.body.collect(upTo: Gateway.maximumBodyBytes) else {
                throw MISFailure(.badRequest, message: "Запрос слишком большой")
            }
            return try GatewayParameters(bytes: body.readableBytesView)
        }
        return try GatewayParameters(bytes: text.utf8)
    }

    init(encoded: String) throws(MISFailure) {
        try self.init(bytes: encoded.utf8)
    }

    init(bytes: some Sequence<UInt8>) throws(MISFailure) {
        do {
            pairs = try FormParameters(decoding: bytes).pairs.map { ($0.name, $0.value) }
        } catch .repeated(let name) {
            throw MISFailure(.badRequest, message: "Параметр «\(name.prefix(64))» указан дважды")
        } catch .nulByte {
            throw MISFailure(.badRequest, message: "Параметры запроса содержат нулевой байт")
        } catch {
            throw MISFailure(.badRequest, message: "Параметры запроса закодированы неверно")
        }
    }

    func optional(_ name: String) -> String? {
        pairs.first { $0.0 == name }.map(\.1).flatMap { $0.isEmpty ? nil : $0 }
    }

    func required(_ name: String) throws(MISFailure) -> String {
        guard let value = optional(name) else { throw MISFailure(.badRequest, message: "Не указан параметр «\(name)»") }
        guard value.count <= 256 else { throw MISFailure(.badRequest, message: "Параметр «\(name)» слишком длинный") }
        return value
    }
}
