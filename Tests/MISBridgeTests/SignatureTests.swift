import Foundation
import Testing
@testable import MISBridge

@Suite("Request signatures")
struct SignatureTests {
    let signer = RequestSigner(keyID: "registry", secret: "s3cret-for-tests")
    let now = Date(timeIntervalSince1970: 1_795_000_000)
    let parameters = [("op", "SetAppointment"), ("clinic", "17"), ("slot", "410001"), ("patient", "Иванов & сын")]

    private func headers(_ pairs: [(String, String)]) -> (String) -> String? {
        { name in pairs.first { $0.0 == name }?.1 }
    }

    @Test func aCorrectlySignedRequestPasses() throws {
        let verifier = SignatureVerifier(keys: ["registry": "s3cret-for-tests"])
        let signed = signer.headers(method: "POST", path: "/serverais", parameters: parameters, now: now)
        try verifier.verify(method: "POST", path: "/serverais", parameters: parameters.reversed(), header: headers(signed), now: now.addingTimeInterval(30))
    }

    @Test func tamperingWithAnythingSignedIsRefused() {
        let verifier = SignatureVerifier(keys: ["registry": "s3cret-for-tests"])
        let signed = signer.headers(method: "POST", path: "/serverais", parameters: parameters, now: now)
        var changed = parameters
        changed[2] = ("slot", "410002")
        #expect(throws: MISFailure(.unauthorised, message: "подпись не совпадает")) {
            try verifier.verify(method: "POST", path: "/serverais", parameters: changed, header: headers(signed), now: now)
        }
        #expect(throws: MISFailure.self) {
            try verifier.verify(method: "GET", path: "/serverais", parameters: parameters, header: headers(signed), now: now)
        }
        let wrongKey = RequestSigner(keyID: "registry", secret: "guess").headers(method: "POST", path: "/serverais", parameters: parameters, now: now)
        #expect(throws: MISFailure.self) {
            try verifier.verify(method: "POST", path: "/serverais", parameters: parameters, header: headers(wrongKey), now: now)
        }
    }

    @Test func replayedAndStaleRequestsAreRefused() throws {
        let verifier = SignatureVerifier(keys: ["registry": "s3cret-for-tests"], window: 300)
        let signed = signer.headers(method: "GET", path: "/serverais", parameters: parameters, now: now)
        try verifier.verify(method: "GET", path: "/serverais", parameters: parameters, header: headers(signed), now: now)
        #expect(throws: MISFailure(.unauthorised, message: "повтор уже выполненного запроса")) {
            try verifier.verify(method: "GET", path: "/serverais", parameters: parameters, header: headers(signed), now: now)
        }
        let old = signer.headers(method: "GET", path: "/serverais", parameters: parameters, now: now.addingTimeInterval(-301))
        #expect(throws: MISFailure(.unauthorised, message: "метка времени вне допустимого окна")) {
            try verifier.verify(method: "GET", path: "/serverais", parameters: parameters, header: headers(old), now: now)
        }
    }

    @Test func unknownKeysAndMissingHeadersAreRefused() {
        let verifier = SignatureVerifier(keys: ["other": "x"])
        let signed = signer.headers(method: "GET", path: "/serverais", parameters: parameters, now: now)
        #expect(throws: MISFailure(.unauthorised, message: "неизвестный ключ")) {
            try verifier.verify(method: "GET", path: "/serverais", parameters: parameters, header: headers(signed), now: now)
        }
        #expect(throws: MISFailure.self) {
            try verifier.verify(method: "GET", path: "/serverais", parameters: parameters, header: { _ in nil }, now: now)
        }
    }

    @Test func canonicalFormSortsAndEncodes() {
        // Encoded first, then sorted bytewise: "%" (0x25) sorts before "1" (0x31).
        #expect(RequestSigner.canonical([("b", "2"), ("a", "я z"), ("a", "1")]) == "a=%D1%8F%20z&a=1&b=2")
    }
}
