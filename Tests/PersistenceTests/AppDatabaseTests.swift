import Foundation
import Testing
@testable import Persistence

@Suite("Registry database (SQLite)")
struct AppDatabaseTests {
    let now = Date(timeIntervalSince1970: 1_795_413_600)

    @Test func thePolicyNumberIsNeverStored() throws {
        let key = AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-05")
        #expect(!key.contains("7700000000000008"))
        #expect(key.count == 64)
        #expect(key == AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-05"))
        #expect(key != AppDatabase.patientKey(policy: "7700000000000008", birthDate: "1980-05-06"))
    }

    @Test func aFileDatabaseSurvivesReopening() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)/registry.sqlite").path
        try AppDatabase.open(path: path).createSession(id: "s", csrfToken: "t", now: now)
        #expect(try AppDatabase.open(path: path).session(id: "s", now: now, idleTimeout: 60) != nil)
    }
}
