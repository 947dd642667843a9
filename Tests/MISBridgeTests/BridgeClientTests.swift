import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MISBridge
import Synchronization
import Testing

/// The bridge client over real HTTP (AsyncHTTPClient) against local servers that answer as a
/// gateway might: slowly, never, in HTML, or with scripted protocol answers.
@Suite("Bridge client")
struct BridgeClientTests {
    static let transport = HTTPClientTransport(connectTimeout: .seconds(5))
    let logger = Logger(label: "bridge-tests")

    private func client(port: Int, policy: MISCallPolicy = MISCallPolicy(), breaker: CircuitBreaker = CircuitBreaker()) -> MISClient {
        MISClient(endpoint: MISEndpoint(id: "test", url: "http://127.0.0.1:\(port)/serverais", keyID: "registry", secret: "bridge-secret"),
                  transport: Self.transport, policy: policy, breaker: breaker, logger: logger)
    }

    /// A live server whose every request is answered by `respond`, counting requests.
    private func withServer(_ respond: @escaping @Sendable (Int) async -> Response, _ body: @escaping @Sendable (Int, HitCounter) async throws -> Void) async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/serverais") { _, _ in await respond(hits.increment()) }
        router.post("/serverais") { _, _ in await respond(hits.increment()) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client.port!, hits) }
    }

    @Test func aGatewayThatIsDownIsUnreachable() async throws {
        let port = try await freePortThatNobodyListensOn()
        // Unreachable, not a timeout: a refused connection is reported at once, not after the deadline.
        var policy = MISCallPolicy()
        policy.attemptTimeout = .seconds(60)
        policy.callBudget = .seconds(60)
        do {
            _ = try await client(port: port, policy: policy).districts()
            Issue.record("expected the gateway to be unreachable")
        } catch {
            #expect(error.kind == .unreachable)
        }
    }

    @Test func aSlowGatewayTimesOutWithinTheDeadline() async throws {
        try await withServer({ _ in
            try? await Task.sleep(for: .seconds(5))
            return Response(status: .ok)
        }) { port, _ in
            var policy = MISCallPolicy()
            policy.attemptTimeout = .milliseconds(300)
            policy.readRetries = 0
            do {
                _ = try await client(port: port, policy: policy).districts()
                Issue.record("expected a timeout")
            } catch let error as MISFailure {
                // The gateway would answer after 5 s; the 300 ms deadline ends the call first.
                #expect(error.kind == .timeout)
            }
        }
    }

    @Test func aGatewayTricklingItsAnswerIsCutOffAtTheDeadlineAndOpensTheCircuit() async throws {
        let answer = MISResponse.success(.getDistrictList) { writer in writer.start("districts") }
        try await withServer({ _ in
            // The head at once, then the body a byte a second.
            Response(status: .ok, headers: [.contentType: "application/xml"], body: ResponseBody { writer in
                for byte in answer.utf8 {
                    try await writer.write(ByteBuffer(bytes: [byte]))
                    try await Task.sleep(for: .seconds(1))
                }
                try await writer.finish(nil)
            })
        }) { port, _ in
            var policy = MISCallPolicy()
            policy.attemptTimeout = .milliseconds(800)
            policy.readRetries = 0
            let client = client(port: port, policy: policy, breaker: CircuitBreaker(threshold: 3, cooldown: .seconds(60)))
            let started = ContinuousClock.now
            let outcomes = await withTaskGroup(of: MISFailure.Kind?.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        do throws(MISFailure) { _ = try await client.version(); return nil } catch { return error.kind }
                    }
                }
                return await group.reduce(into: [MISFailure.Kind?]()) { $0.append($1) }
            }
            // Each call ends by its deadline, not after the ~100 s the body would take.
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(outcomes.allSatisfy { $0 == .timeout }, "\(outcomes)")
            #expect(client.isCircuitOpen)
        }
    }

    @Test func aGatewayThatNeverAnswersCostsACallLessThanFiveSecondsRetryIncluded() async throws {
        try await withServer({ _ in
            try? await Task.sleep(for: .seconds(6))
            return Response(status: .ok)
        }) { port, hits in
            let started = ContinuousClock.now
            do {
                _ = try await client(port: port).districts()
                Issue.record("expected a timeout")
            } catch let error as MISFailure {
                #expect(error.kind == .timeout)
            }
            // The default policy: a first attempt and a retry, both inside the call's budget.
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(hits.count == 2)
        }
    }

    @Test func aPagesDeadlineEndsEveryCallMadeForIt() async throws {
        try await withServer({ _ in
            try? await Task.sleep(for: .seconds(6))
            return Response(status: .ok)
        }) { port, _ in
            let client = client(port: port)
            let started = ContinuousClock.now
            await MISDeadline.$current.withValue(.now + .seconds(1)) {
                _ = try? await client.districts()
                _ = try? await client.clinics()
            }
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }

    @Test func aRefusedConnectionIsKnownNotToHaveDeliveredTheRequest() async throws {
        let port = try await freePortThatNobodyListensOn()
        do {
            _ = try await client(port: port).setAppointment(clinic: "1", MISBookingRequest(slotID: "1", patientID: "p", channel: .internet, requestID: "never-sent"))
            Issue.record("expected the gateway to be unreachable")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(!error.requestSent)
        }
        #expect(!MISFailure(.circuitOpen).requestSent)
        #expect(MISFailure(.timeout).requestSent)
    }

    @Test func aGatewayAnsweringHTMLGivesABadAnswer() async throws {
        try await withServer({ _ in
            Response(status: .badGateway, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>502 Bad Gateway</h1></body></html>")))
        }) { port, _ in
            do {
                _ = try await client(port: port).districts()
                Issue.record("expected a bad answer")
            } catch let error as MISFailure {
                #expect(error.kind == .badAnswer)
            }
        }
    }

    @Test func theCircuitOpensAfterRepeatedOutagesAndSparesTheGateway() async throws {
        try await withServer({ _ in Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "oops"))) }) { port, hits in
            var policy = MISCallPolicy()
            policy.readRetries = 0
            let client = client(port: port, policy: policy, breaker: CircuitBreaker(threshold: 3, cooldown: .seconds(60)))
            for _ in 0..<3 { _ = try? await client.version() }
            #expect(client.isCircuitOpen)
            do {
                _ = try await client.version()
            } catch let error as MISFailure {
                #expect(error.kind == .circuitOpen)
            }
            #expect(hits.count == 3)
        }
    }

    @Test func manyCallsToOneGatewayAreUnderWayAtOnceNotQueuedBehindAFew() async throws {
        // The gateway holds every answer until twenty calls are open at once (or 3 s have passed)
        // and notes the most it saw: a pool of eight connections would stop at eight.
        let open = Mutex((now: 0, most: 0))
        try await withServer({ _ in
            open.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            let started = ContinuousClock.now
            while open.withLock({ $0.most }) < 20, ContinuousClock.now - started < .seconds(3) { try? await Task.sleep(for: .milliseconds(10)) }
            open.withLock { $0.now -= 1 }
            return Response(status: .ok)
        }) { port, _ in
            var policy = MISCallPolicy()
            policy.attemptTimeout = .seconds(10)
            policy.callBudget = .seconds(10)
            let client = client(port: port, policy: policy)
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { _ = try? await client.setAppointment(clinic: "1", MISBookingRequest(slotID: "\(index)", patientID: "p", channel: .internet, requestID: "call-\(index)")) }
                }
            }
            #expect(open.withLock { $0.most } == 20)
        }
    }

    @Test func readsAreRetriedButWritesAreNot() async throws {
        let answer = MISResponse.success(.getDistrictList) { writer in writer.start("districts") }
        try await withServer({ hit in
            if hit == 1 { try? await Task.sleep(for: .seconds(2)) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: answer)))
        }) { port, hits in
            var policy = MISCallPolicy()
            policy.attemptTimeout = .milliseconds(500)
            policy.readRetries = 1
            let districts = try await client(port: port, policy: policy).districts()
            #expect(districts.isEmpty)
            #expect(hits.count == 2)
        }
        try await withServer({ _ in
            try? await Task.sleep(for: .seconds(2))
            return Response(status: .ok)
        }) { port, hits in
            var policy = MISCallPolicy()
            policy.attemptTimeout = .milliseconds(300)
            policy.readRetries = 3
            _ = try? await client(port: port, policy: policy).setAppointment(clinic: "1", MISBookingRequest(slotID: "1", patientID: "p", channel: .internet, requestID: "once"))
            try await Task.sleep(for: .milliseconds(300))
            #expect(hits.count == 1)
        }
    }

    @Test func referenceDataIsCachedForAWhile() async throws {
        let answer = MISResponse.success(.getDistrictList) { writer in
            writer.start("districts")
            writer.empty("district", ["id": "1", "name": "Центральный район", "okato": "1"])
        }
        try await withServer({ _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: answer))) }) { port, hits in
            let client = client(port: port)
            for _ in 0..<5 {
                let districts = try await client.districts()
                #expect(districts.count == 1)
            }
            #expect(hits.count == 1)
        }
    }

    @Test func freeTimesAreSharedBrieflyForPagesButAskedAfreshForBooking() async throws {
        let answer = MISResponse.success(.getAvailableAppointments) { writer in writer.start("slots") }
        try await withServer({ _ in
            // Slow enough that a crowd arrives while the first call is under way.
            try? await Task.sleep(for: .milliseconds(200))
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: answer)))
        }) { port, hits in
            let client = client(port: port)
            // A hundred pages at once make one call, and the next page within the lifetime makes none.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<100 { group.addTask { _ = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06") } }
                try await group.waitForAll()
            }
            _ = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(hits.count == 1)
            // The check page asks the MIS itself; a MIS "taken" makes the doctor's shared times forgotten.
            let generation = client.freeTimesGeneration(clinic: "101", doctor: "7")
            _ = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06", fresh: true)
            #expect(hits.count == 2)
            #expect(client.freeTimesGeneration(clinic: "101", doctor: "7") == generation)
            client.forgetFreeTimes(clinic: "101", doctor: "7")
            #expect(client.freeTimesGeneration(clinic: "101", doctor: "7") > generation)
            _ = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(hits.count == 3)
            // Forgetting one doctor's times keeps another's; forgetting the clinic's drops all.
            _ = try await client.availableAppointments(clinic: "101", doctor: "70", from: "2026-11-23", to: "2026-12-06")
            client.forgetFreeTimes(clinic: "101", doctor: "7")
            _ = try await client.availableAppointments(clinic: "101", doctor: "70", from: "2026-11-23", to: "2026-12-06")
            #expect(hits.count == 4)
            client.forgetFreeTimes(clinic: "101")
            _ = try await client.availableAppointments(clinic: "101", doctor: "70", from: "2026-11-23", to: "2026-12-06")
            #expect(hits.count == 5)
        }
    }

    @Test func aTimeBookedThroughTheClientLeavesTheSharedTimesWithoutAskingAgain() async throws {
        let slots = MISResponse.success(.getAvailableAppointments) { writer in
            writer.start("slots")
            for id in ["1", "2", "3"] {
                writer.empty("slot", ["id": id, "start": "2026-11-23T0\(id):00:00+05:00", "end": "2026-11-23T0\(id):15:00+05:00", "room": "12", "address": "ул. Ленина, 1"])
            }
        }
        let start = Date(timeIntervalSince1970: 1_795_381_200)
        let booked = MISAppointment(id: "a2", ticket: "101-000002", clinicID: "101", slotID: "2", doctorID: "7", doctorName: "Иванова М. П.", specialtyID: "113",
                                    specialtyName: "Хирург", start: start, end: start.addingTimeInterval(900), room: "12", status: .active, channel: .internet)
        let zone = TimeZone(identifier: "Asia/Yekaterinburg")!
        let appointment = MISResponse.success(.setAppointment) { writer in booked.write(into: &writer, zone: zone) }
        let cancelled = MISResponse.success(.createClaimForRefusal) { writer in
            MISAppointment(id: "a2", ticket: "101-000002", clinicID: "101", slotID: "2", doctorID: "7", doctorName: "Иванова М. П.", specialtyID: "113",
                           specialtyName: "Хирург", start: start, end: start.addingTimeInterval(900), room: "12", status: .cancelled, channel: .internet).write(into: &writer, zone: zone)
        }
        let hits = HitCounter()
        let router = Router()
        router.get("/serverais") { _, _ in
            _ = hits.increment()
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: slots)))
        }
        router.post("/serverais") { request, _ in
            let body = try await request.body.collect(upTo: 65_536)
            let text = String(buffer: body).contains("op=SetAppointment") ? appointment : cancelled
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { testClient in
            let client = client(port: testClient.port!)
            let stamp = client.freeTimesStamp(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(stamp.expires == nil)
            let first = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(first.map(\.id) == ["1", "2", "3"])
            let held = client.freeTimesStamp(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(held.expires != nil && held.generation > stamp.generation)
            // Booking time 2 through the client takes it out of the shared times by itself.
            _ = try await client.setAppointment(clinic: "101", MISBookingRequest(slotID: "2", patientID: "p", channel: .internet, requestID: "r-0123456789abcdef"))
            let after = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(after.map(\.id) == ["1", "3"])
            #expect(hits.count == 1)
            let afterBooking = client.freeTimesGeneration(clinic: "101", doctor: "7")
            #expect(afterBooking > held.generation)
            // Another doctor's generation does not move.
            #expect(client.freeTimesGeneration(clinic: "101", doctor: "8") == 0)
            // Cancelling through the client drops the doctor's shared times: the next page asks again.
            _ = try await client.cancel(clinic: "101", appointment: "a2", patient: "p", reason: nil, by: .internet)
            #expect(client.freeTimesGeneration(clinic: "101", doctor: "7") > afterBooking)
            _ = try await client.availableAppointments(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
            #expect(hits.count == 2)
        }
    }

    @Test func aGatewayThatNeedsTheClinicIsAskedClinicByClinic() async throws {
        let clinics = MISResponse.success(.getLPUList) { writer in
            writer.start("clinics")
            for id in ["101", "102"] {
                writer.empty("clinic", ["id": id, "district": "1", "fullName": "Поликлиника \(id)", "shortName": id, "address": "ул. Ленина, 1", "phone": "+7 343 000-00-00", "oid": "1.2.\(id)", "timeZone": "Asia/Yekaterinburg"])
            }
        }
        let patient = MISPatient(id: "P1", lastName: "Иванова", firstName: "Анна", middleName: "Петровна", birthDate: "1980-01-01", sex: "female", attachedClinicID: "102", attachedDistrict: "3", dispensarySpecialtyIDs: [])
        let asked = Mutex<[String]>([])
        let router = Router()
        router.get("/serverais") { request, _ -> Response in
            let query = request.uri.queryParameters
            let operation = query["op"].map(String.init) ?? ""
            asked.withLock { $0.append(operation + (query["clinic"].map { " " + String($0) } ?? "")) }
            let body: String
            if operation == "GetLPUList" {
                body = clinics
            } else if let clinic = query["clinic"] {
                body = clinic == "102" ? MISResponse.success(.checkPatient) { patient.write(into: &$0) } : MISResponse.failure("CheckPatient", .patientNotFound, "Не найден")
            } else {
                body = MISResponse.failure("CheckPatient", .badRequest, "Не указан параметр «clinic»")
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { testClient in
            let client = client(port: testClient.port!)
            let query = MISPatientQuery(policy: "7700000000000008", birthDate: "1980-01-01")
            let found = try await client.patientCards(query)
            #expect(found == [MISClinicCard(clinic: "102", patient: patient)])
            // Remembered: the second time the gateway is asked clinic by clinic straight away.
            let again = try await client.patientCards(query)
            #expect(again == found)
            let calls = asked.withLock { $0 }
            #expect(calls.filter { $0 == "CheckPatient" }.count == 1)
            #expect(calls.filter { $0.hasPrefix("CheckPatient ") }.count == 4)
        }
    }

    private func freePortThatNobodyListensOn() async throws -> Int {
        let app = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in client.port! }
    }
}

/// Counts requests a test server receives.
final class HitCounter: Sendable {
    private let value = Mutex(0)

    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
    var count: Int { value.withLock { $0 } }
}

