import Foundation
import GRDB
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import MISBridge
import NIOCore
import Testing
@testable import ReferenceMIS

/// The protocol's XSD.
let schema = XMLSchemaValidator(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/mis-protocol.xsd").path)!

@Suite("Gateway")
struct GatewayTests {
    let signer = RequestSigner(keyID: "registry", secret: "gateway-test-secret")

    /// Runs `body` with a client that sends signed protocol requests to a fresh gateway.
    private func withGateway(_ body: @escaping @Sendable (SignedClient) async throws -> Void) async throws {
        let mis = try makeMIS()
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "gateway-test-secret"]), clock: { mondayMorning })
        let app = Application(router: gateway.router())
        try await app.test(.router) { client in
            try await body(SignedClient(client: client, signer: signer))
        }
    }

    @Test func everyReadOperationAnswersValidXML() async throws {
        try await withGateway { client in
            let version = try await client.call("GetVersion", [])
            #expect(version.status == 200)
            let clinics = try MISAnswer.clinics(try await client.payload("GetLPUList", [], .getLPUList))
            #expect(clinics.count == 8)
            _ = try await client.payload("GetDistrictList", [], .getDistrictList)
            let specialties = try MISAnswer.specialties(try await client.payload("GetSpecialityList", [("clinic", "101")], .getSpecialityList))
            #expect(specialties.contains { $0.id == "109" && $0.freeCount > 0 && $0.selfBooking == .open })
            let doctors = try MISAnswer.doctors(try await client.payload("GetDoctorList", [("clinic", "101"), ("specialty", "109")], .getDoctorList))
            let doctor = try #require(doctors.first)
            let dates = try MISAnswer.dates(try await client.payload("GetAvailableDates", [("clinic", "101"), ("doctor", doctor.id), ("from", "2026-11-23"), ("to", "2026-12-06")], .getAvailableDates))
            let day = try #require(dates.first).day
            let slots = try MISAnswer.slots(try await client.payload("GetAvailableAppointments", [("clinic", "101"), ("doctor", doctor.id), ("from", day), ("to", day)], .getAvailableAppointments))
            #expect(slots.count == dates.first?.freeCount)
            _ = try await client.payload("GetChanges", [("clinic", "101"), ("cursor", "0")], .getChanges)
        }
    }

    @Test func parametersAreFormDecodedAndBrokenEscapesRefused() throws {
        let parameters = try MISRequestParameters(decoding: "op=CheckPatient&lastName=%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0&document=45+01&empty=".utf8)
        #expect(parameters.optional("lastName") == "Иванова")
        #expect(parameters.optional("document") == "45 01")
        #expect(parameters.optional("empty") == nil)
        for broken in ["a=%ZZ", "a=%D", "a=%D0", "a=1&a=2", "clinic=101%00", "clinic=101\u{0}", "op%00=1"] {
            #expect(throws: MISFailure.self, "\(broken)") { try MISRequestParameters(decoding: broken.utf8) }
        }
    }

    @Test func checkPatientAnswersForOneClinicOrForTheWholeGateway() async throws {
        let mis = try makeMIS()
        let patient = try await mis.database.writer.read { db in try GRDBRow.patient(db) }
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "gateway-test-secret"]), clock: { mondayMorning })
        try await Application(router: gateway.router()).test(.router) { testClient in
            let client = SignedClient(client: testClient, signer: signer)
            let one = try MISAnswer.patient(try await client.payload("CheckPatient", [("clinic", patient.attachedClinic), ("policy", patient.policy), ("birthDate", patient.birthDate)], .checkPatient))
            let all = try MISAnswer.patientCards(try await client.payload("CheckPatient", [("policy", patient.policy), ("birthDate", patient.birthDate)], .checkPatient))
            #expect(all.count >= 2 && all.count < 8 && all.allSatisfy { $0.patient == one })
            #expect(all.first { $0.clinic == patient.attachedClinic }?.patient == one)
            // A clinic where the patient has no card does not find them.
            let elsewhere = try #require(try mis.clinics(district: nil).map(\.id).first { clinic in !all.contains { $0.clinic == clinic } })
            let none = try await client.call("CheckPatient", [("clinic", elsewhere), ("policy", patient.policy), ("birthDate", patient.birthDate)])
            #expect(none.status == 404 && none.text.contains("code=\"1\""))
            let unknown = try await client.call("CheckPatient", [("policy", "7700000000000008"), ("birthDate", "1980-01-01")])
            #expect(unknown.status == 404 && unknown.text.contains("code=\"1\""))
        }
    }

    @Test func searchPatientsFindsACallerByEachKeyWithWhatTellsNamesakesApart() async throws {
        let mis = try makeMIS()
        let row: GRDB.Row = try await mis.database.writer.read { db in
            try GRDB.Row.fetchOne(db, sql: "SELECT * FROM patient WHERE snils IS NOT NULL AND id IN (SELECT patient_id FROM attachment) AND id NOT LIKE '%D' ORDER BY id LIMIT 1")!
        }
        let (policy, snils, document, birthDate): (String, String, String, String) = (row["policy"], row["snils"], row["document"], row["birth_date"])
        let (lastName, firstName): (String, String) = (row["last_name"], row["first_name"])
        // Eleven namesakes born the same day: more than one answer holds.
        for index in 0..<11 {
            try mis.addPatient(id: "NS\(index)", policy: "7700 0000\(index)", birthDate: "1971-05-09", lastName: "Фёдорова", firstName: "Анна", middleName: "Ивановна",
                               sex: "female", document: "45 00 00000\(index)", clinic: "101", district: "1")
        }
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "gateway-test-secret"]), clock: { mondayMorning })
        try await Application(router: gateway.router()).test(.router) { testClient in
            let client = SignedClient(client: testClient, signer: signer)
            func search(_ parameters: [(String, String)]) async throws -> MISPeople {
                try MISAnswer.people(try await client.payload("SearchPatients", parameters, .searchPatients))
            }
            let byPolicy = try await search([("policy", policy)])
            let person = try #require(byPolicy.people.first { $0.lastName == lastName && $0.birthDate == birthDate })
            #expect(!person.cards.isEmpty && person.attachedClinicID != nil && !person.address.isEmpty)
            // The document is shown masked: its first two and last three letters or digits only.
            let digits = document.filter(\.isNumber)
            #expect(person.maskedDocument.filter(\.isNumber) == String(digits.prefix(2) + digits.suffix(3)) && person.maskedDocument.contains("*"))
            let snilsTyped = "\(snils.prefix(3))-\(snils.dropFirst(3).prefix(3))-\(snils.dropFirst(6).prefix(3)) \(snils.suffix(2))"
            #expect(try await search([("snils", snilsTyped)]).people.map(\.policy) == [policy])
            #expect(try await search([("document", document.replacingOccurrences(of: " ", with: "").lowercased())]).people.map(\.policy) == [policy])
            #expect(try await search([("lastName", lastName.uppercased()), ("firstName", firstName), ("birthDate", birthDate)]).people.contains { $0.policy == policy })
            // «Федорова» finds «Фёдорова»; ten of the eleven are sent, and "more" says there are others.
            let namesakes = try await search([("lastName", "федорова"), ("firstName", "Анна"), ("birthDate", "1971-05-09")])
            #expect(namesakes.people.count == 10 && namesakes.more && Set(namesakes.people.map(\.maskedDocument)).count == 10)
            let nobody = try await search([("snils", "00000000000")])
            #expect(nobody.people.isEmpty && !nobody.more)
            // Exactly one key: two, or a name without its first name and birth date, is error 9.
            for wrong in [[("policy", policy), ("snils", snils)], [("lastName", lastName)], [("lastName", lastName), ("firstName", firstName), ("birthDate", "9 мая")], []] {
                let answer = try await client.call("SearchPatients", wrong)
                #expect(answer.status == 400 && answer.text.contains("code=\"9\""), "\(wrong)")
            }
        }
    }

    @Test func bookingThroughTheGatewayIsIdempotentAndRuled() async throws {
        try await withGateway { client in
            let doctors = try MISAnswer.doctors(try await client.payload("GetDoctorList", [("clinic", "101"), ("specialty", "113")], .getDoctorList))
            let doctor = try #require(doctors.first { $0.freeCount > 0 })
            let day = try #require(doctor.nearestDate)
            let slot = try #require(MISAnswer.slots(try await client.payload("GetAvailableAppointments", [("clinic", "101"), ("doctor", doctor.id), ("from", day), ("to", day)], .getAvailableAppointments)).first)
            let patientID = try await client.firstAdultPatient()
            let booking = [("clinic", "101"), ("slot", slot.id), ("patient", patientID), ("channel", "internet"), ("requestId", "g-1")]
            let first = try MISAnswer.appointment(try await client.payload("SetAppointment", booking, .setAppointment, method: .post))
            let again = try MISAnswer.appointment(try await client.payload("SetAppointment", booking, .setAppointment, method: .post))
            #expect(first == again)
            let taken = try await client.call("SetAppointment", [("clinic", "101"), ("slot", slot.id), ("patient", patientID), ("channel", "internet"), ("requestId", "g-2")], method: .post)
            #expect(taken.status == 409)
            #expect(taken.text.contains("code=\"4\""))
            let history = try MISAnswer.appointments(try await client.payload("GetPatientHistory", [("clinic", "101"), ("patient", patientID)], .getPatientHistory))
            #expect(history.map(\.id) == [first.id])
            let cancelled = try MISAnswer.appointment(try await client.payload("CreateClaimForRefusal", [("clinic", "101"), ("appointment", first.id), ("patient", patientID), ("reason", "не смогу"), ("cancelledBy", "internet")], .createClaimForRefusal, method: .post))
            #expect(cancelled.status == .cancelled)
        }
    }

    @Test func badRequestsGetTheRightErrors() async throws {
        try await withGateway { client in
            let unknown = try await client.call("Frobnicate", [])
            #expect(unknown.status == 400 && unknown.text.contains("code=\"9\""))
            let missing = try await client.call("GetDoctorList", [("clinic", "101")])
            #expect(missing.text.contains("Не указан параметр «specialty»"))
            let badDay = try await client.call("GetAvailableDates", [("clinic", "101"), ("doctor", "1"), ("from", "вчера"), ("to", "2026-12-01")])
            #expect(badDay.status == 400)
            let wrongMethod = try await client.call("SetAppointment", [("clinic", "101")])
            #expect(wrongMethod.text.contains("Изменения передаются методом POST"))
            let nobody = try await client.call("CheckPatient", [("clinic", "101"), ("policy", "7700000000000008"), ("birthDate", "1990-01-01")])
            #expect(nobody.status == 404 && nobody.text.contains("code=\"1\""))
            let unknownClinic = try await client.call("GetSpecialityList", [("clinic", "999")])
            #expect(unknownClinic.status == 400)
        }
    }

    @Test func unsignedWronglySignedAndReplayedRequestsAreRefused() async throws {
        try await withGateway { client in
            let unsigned = try await client.client.execute(uri: "/serverais?op=GetDistrictList", method: .get)
            #expect(unsigned.status.code == 401)
            #expect(schema.problems(in: Array(String(buffer: unsigned.body).utf8)) == [])
            let headers = client.signer.headers(method: "GET", path: "/serverais", parameters: [("op", "GetDistrictList")], now: mondayMorning)
            var fields = HTTPFields()
            for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
            #expect(try await client.client.execute(uri: "/serverais?op=GetDistrictList", method: .get, headers: fields).status.code == 200)
            #expect(try await client.client.execute(uri: "/serverais?op=GetDistrictList", method: .get, headers: fields).status.code == 401)
            fields[HTTPField.Name(RequestSigner.signatureHeader)!] = String(repeating: "0", count: 64)
            fields[HTTPField.Name(RequestSigner.nonceHeader)!] = RequestSigner.makeNonce()
            #expect(try await client.client.execute(uri: "/serverais?op=GetDistrictList", method: .get, headers: fields).status.code == 401)
        }
    }

    @Test func aFailingDatabaseIsAnInternalErrorNotACrash() async throws {
        let mis = try makeMIS(patients: 50)
        try await mis.database.writer.write { db in try db.execute(sql: "ALTER TABLE district RENAME TO district_gone") }
        let gateway = Gateway(mis: mis, configuration: GatewayConfiguration(keys: ["registry": "gateway-test-secret"]), clock: { mondayMorning })
        try await Application(router: gateway.router()).test(.router) { client in
            let answer = try await SignedClient(client: client, signer: signer).call("GetDistrictList", [])
            #expect(answer.status == 500)
            #expect(answer.text.contains("code=\"11\""))
            #expect(!answer.text.contains("district"))
        }
    }

    @Test func addressesOutsideTheAllowListAreRefused() async throws {
        let gateway = Gateway(mis: try makeMIS(patients: 50), configuration: GatewayConfiguration(keys: ["registry": "gateway-test-secret"], allowedAddresses: ["10.9.9.9"]), clock: { mondayMorning })
        try await Application(router: gateway.router()).test(.router) { client in
            let response = try await SignedClient(client: client, signer: signer).call("GetVersion", [])
            #expect(response.status == 401)
            #expect(response.text.contains("Адрес вызывающего не разрешён"))
        }
    }
}

/// Sends signed protocol requests through Hummingbird's test client and checks every answer against the XSD.
struct SignedClient: Sendable {
    let client: any TestClientProtocol
    let signer: RequestSigner

    struct Answer {
        let status: Int
        let text: String
    }

    func call(_ operation: String, _ parameters: [(String, String)], method: HTTPRequest.Method = .get) async throws -> Answer {
        let all = [("op", operation)] + parameters
        let encoded = all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        var fields = HTTPFields()
        for (name, value) in signer.headers(method: method.rawValue, path: "/serverais", parameters: all, now: mondayMorning) {
            fields[HTTPField.Name(name)!] = value
        }
        let response: TestResponse
        if method == .post {
            fields[.contentType] = "application/x-www-form-urlencoded"
            response = try await client.execute(uri: "/serverais", method: .post, headers: fields, body: ByteBuffer(string: encoded))
        } else {
            response = try await client.execute(uri: "/serverais?" + encoded, method: .get, headers: fields)
        }
        let text = String(buffer: response.body)
        #expect(schema.problems(in: Array(text.utf8)) == [], "\(operation): \(text.prefix(300))")
        #expect(response.headers[.contentType] == "application/xml; charset=utf-8")
        return Answer(status: Int(response.status.code), text: text)
    }

    func payload(_ operation: String, _ parameters: [(String, String)], _ expected: MISOperation, method: HTTPRequest.Method = .get) async throws -> XMLElementView {
        let answer = try await call(operation, parameters, method: method)
        return try MISResponse.payload(of: Array(answer.text.utf8), for: expected)
    }

    /// The first generated patient; the surgeon (open to all ages, no attachment needed) accepts anyone.
    func firstAdultPatient() async throws -> String {
        "P100000"
    }
}
