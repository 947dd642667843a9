import Foundation
import Testing
@testable import MISBridge

/// Each request names its parameters once: what the bridge writes, a gateway reads back the same.
@Suite("Protocol requests")
struct RequestsTests {
    private func readBack<Request: MISRequest>(_ request: Request) throws -> Request {
        let encoded = MISClient.formEncode(request.parameters)
        return try Request(MISRequestParameters(decoding: encoded.utf8))
    }

    private func same(_ a: [(String, String)], _ b: [(String, String)]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    @Test func everyRequestReadsBackAsWritten() throws {
        let range = MISRequests.DoctorRange(clinic: "101", doctor: "7", from: "2026-11-23", to: "2026-12-06")
        let query = MISPatientQuery(policy: "77 940189", birthDate: "1980-02-29", document: "45 01 123456", snils: "112-233-445 95", lastName: "Иванова")
        let booking = MISBookingRequest(slotID: "9", patientID: "P1", channel: .callCentre, requestID: "r-0123456789", previousAppointmentID: "a1", referral: "N-1/26")
        let requests: [any MISRequest] = [
            MISRequests.Version(), MISRequests.Districts(), MISRequests.Clinics(district: "2"), MISRequests.Clinics(district: nil),
            MISRequests.Specialties(clinic: "101"), MISRequests.Doctors(clinic: "101", specialty: "113"),
            MISRequests.AvailableDates(range), MISRequests.AvailableAppointments(range),
            MISRequests.CheckPatient(clinic: "101", query: query), MISRequests.CheckPatient(clinic: nil, query: MISPatientQuery(policy: "7700000000000008", birthDate: "1990-01-01")),
            MISRequests.SetAppointment(clinic: "101", booking: booking), MISRequests.SetAppointment(clinic: "101", booking: MISBookingRequest(slotID: "9", patientID: "P1", channel: .internet, requestID: "r2")),
            MISRequests.CreateClaimForRefusal(clinic: "101", appointment: "a1", patient: "P1", reason: "не смогу прийти", cancelledBy: .kiosk),
            MISRequests.PatientHistory(clinic: "101", patient: "P1"), MISRequests.Changes(clinic: "101", cursor: "17"),
        ]
        for request in requests {
            let back = try readBack(request)
            #expect(same(back.parameters, request.parameters), "\(type(of: request).operation)")
        }
        #expect(try readBack(MISRequests.SetAppointment(clinic: "101", booking: booking)).booking == booking)
        #expect(try readBack(MISRequests.CheckPatient(clinic: "101", query: query)).query == query)
    }

    @Test func aGatewayRefusesWhatIsMissingOrMalformed() {
        let cases: [(String, (MISRequestParameters) throws(MISFailure) -> Void)] = [
            ("clinic=101", { p throws(MISFailure) in _ = try MISRequests.Doctors(p) }),
            ("clinic=101&specialty=", { p throws(MISFailure) in _ = try MISRequests.Doctors(p) }),
            ("policy=1&birthDate=01.01.1990", { p throws(MISFailure) in _ = try MISRequests.CheckPatient(p) }),
            ("clinic=1&slot=2&patient=3&channel=pigeon&requestId=4", { p throws(MISFailure) in _ = try MISRequests.SetAppointment(p) }),
            ("clinic=" + String(repeating: "1", count: 257), { p throws(MISFailure) in _ = try MISRequests.Specialties(p) }),
        ]
        for (text, read) in cases {
            do {
                try read(try MISRequestParameters(decoding: text.utf8))
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.code == .badRequest, "\(text)")
            }
        }
    }
}
