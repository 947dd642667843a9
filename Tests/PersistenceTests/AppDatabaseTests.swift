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

    @Test func aFileDatabaseSurvivesReopening() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)/registry.sqlite").path
        try await AppDatabase.open(path: path).createSession(id: "s", csrfToken: "t", now: now)
        #expect(try await AppDatabase.open(path: path).session(id: "s", now: now, idleTimeout: 60) != nil)
    }

    /// GRDB sets WAL's `synchronous = NORMAL` when it opens a pool: a commit could then be lost to
    /// a power cut after the patient was told the booking was made.
    @Test func everyCommitReachesTheDiskBeforeItReturns() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)/registry.sqlite").path
        #expect(try AppDatabase.open(path: path).writerSynchronous() == 2)
    }
}
