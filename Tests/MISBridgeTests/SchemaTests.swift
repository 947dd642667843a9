import Foundation
import Testing
@testable import MISBridge

/// The protocol's XSD, loaded once for every test that validates answers.
let protocolSchema: XMLSchemaValidator = {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/mis-protocol.xsd").path
    return XMLSchemaValidator(path: path)!
}()

@Suite("Protocol schema")
struct SchemaTests {
    @Test func acceptsWellFormedAnswersAndErrors() {
        let version = MISResponse.success(.getVersion) { writer in
            writer.empty("version", ["protocol": "1", "implementation": "test", "time": "2026-11-23T08:00:00+05:00"])
        }
        #expect(protocolSchema.problems(in: Array(version.utf8)) == [])
        let error = MISResponse.failure("SetAppointment", .slotTaken, "Это время уже занято")
        #expect(protocolSchema.problems(in: Array(error.utf8)) == [])
    }

    @Test func refusesAnswersThatBreakTheContract() {
        let badTime = MISResponse.success(.getVersion) { writer in
            writer.empty("version", ["protocol": "1", "implementation": "test", "time": "23.11.2026 08:00"])
        }
        #expect(!protocolSchema.problems(in: Array(badTime.utf8)).isEmpty)
        let missingID = MISResponse.success(.getDistrictList) { writer in
            writer.start("districts")
            writer.empty("district", ["name": "Северный", "okato": "65401"])
        }
        #expect(!protocolSchema.problems(in: Array(missingID.utf8)).isEmpty)
        #expect(!protocolSchema.problems(in: Array(MISResponse.failure(nil, .internal, "x").replacingOccurrences(of: "code=\"11\"", with: "code=\"99\"").utf8)).isEmpty)
    }
}
