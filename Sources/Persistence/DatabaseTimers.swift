import Dispatch
import GRDB
import Metrics

/// Times every read and every write transaction of the registry's database
/// (`registry_db_duration{backend,access}`, `access` read or write): what a region's operators need
/// to see the database slowing down, at the cost of two clock readings — never a statement's text
/// or values. Made once, with the database.
final class DatabaseTimers: Sendable {
    let read: Timer
    let write: Timer

    init(backend: String) {
        read = Timer(label: "registry_db_duration", dimensions: [("backend", backend), ("access", "read")])
        write = Timer(label: "registry_db_duration", dimensions: [("backend", backend), ("access", "write")])
    }
}

extension AppDatabase {
    /// One write transaction, timed. It runs on GRDB's writer queue while the caller waits
    /// suspended: a commit's fsync (`synchronous = FULL`) never blocks an event loop.
    func timedWrite<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        let started = DispatchTime.now()
        defer { timers.write.recordInterval(since: started) }
        return try await writer.write(updates)
    }

    /// One read, timed; `unsafe` skips the read transaction (a single SELECT is atomic by itself).
    func timedRead<T>(unsafe: Bool = false, _ value: (Database) throws -> T) throws -> T {
        let started = DispatchTime.now()
        defer { timers.read.recordInterval(since: started) }
        return unsafe ? try writer.unsafeRead(value) : try writer.read(value)
    }
}
