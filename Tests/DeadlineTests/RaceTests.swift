import Deadline
import Dispatch
import Synchronization
import Testing

@Suite struct RaceTests {
    struct TooLate: Error {}

    @Test func workThatFinishesFirstIsTheAnswerAndLeavesNoDeadlineBehind() async throws {
        let ticker = DeadlineTicker(tick: .milliseconds(20))
        let answer = try await race(timeout: .seconds(5), ticker: ticker, failure: TooLate()) { 42 }
        #expect(answer == 42)
        #expect(ticker.armedCount == 0)
    }

    /// A server's request names its connection's event loop: the work's awaits resume there.
    @Test func theWorkRunsOnTheExecutorTheCallerNames() async throws {
        let executor = QueueExecutor()
        let there = try await RaceWork.$executor.withValue(executor) {
            try await race(timeout: .seconds(5), failure: TooLate()) { executor.isCurrent }
        }
        #expect(there)
        let elsewhere = try await race(timeout: .seconds(5), failure: TooLate()) { executor.isCurrent }
        #expect(!elsewhere)
    }

    @Test func workThatOutlastsTheTimeoutIsAnsweredAtTheDeadlineNotBefore() async throws {
        let ticker = DeadlineTicker(tick: .milliseconds(20))
        let started = ContinuousClock.now
        await #expect(throws: TooLate.self) {
            try await race(timeout: .milliseconds(150), ticker: ticker, failure: TooLate()) {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(150))
        #expect(waited < .seconds(2))
        #expect(ticker.armedCount == 0)
    }

    @Test func aDeadlineFiresOnceAfterItsTimeAndADisarmedOneNever() async throws {
        let ticker = DeadlineTicker(tick: .milliseconds(10))
        let fired = Mutex<[String]>([])
        let start = ContinuousClock.now
        _ = ticker.arm(at: start + .milliseconds(60)) { fired.withLock { $0.append("kept") } }
        let dropped = ticker.arm(at: start + .milliseconds(30)) { fired.withLock { $0.append("dropped") } }
        ticker.disarm(dropped)
        try await Task.sleep(for: .milliseconds(40))
        #expect(fired.withLock { $0 }.isEmpty)
        try await Task.sleep(for: .milliseconds(400))
        #expect(fired.withLock { $0 } == ["kept"])
        #expect(ticker.armedCount == 0)
        // Once idle, the ticker starts again for a new deadline.
        _ = ticker.arm(at: .now + .milliseconds(20)) { fired.withLock { $0.append("again") } }
        try await Task.sleep(for: .milliseconds(400))
        #expect(fired.withLock { $0 } == ["kept", "again"])
    }
}

/// Runs its jobs on a serial queue of its own, and tells whether the caller is on it.
final class QueueExecutor: TaskExecutor, @unchecked Sendable {
    private let queue = DispatchQueue(label: "race work")
    private let key = DispatchSpecificKey<Bool>()

    init() { queue.setSpecific(key: key, value: true) }

    var isCurrent: Bool { DispatchQueue.getSpecific(key: key) == true }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
