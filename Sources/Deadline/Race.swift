import Synchronization

/// `work`'s result, or `failure` once `timeout` has passed, whichever comes first; the loser is
/// cancelled and not waited for (a client library may take long to notice it was cancelled).
/// Cancelling the caller cancels both. The time counts from when `work` begins; `ticker` keeps it
/// (within one of its ticks). `work` runs on `RaceWork.executor` when the caller's task set one.
public func race<T: Sendable>(timeout: Duration, ticker: DeadlineTicker = .shared, failure: @autoclosure @escaping @Sendable () -> any Error, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = RaceOutcome<T>(ticker: ticker)
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            outcome.begin(continuation)
            let worker = Task(executorPreference: RaceWork.executor) {
                // The time counts from when the work begins: a backlog of tasks ahead of it is not its slowness.
                outcome.armDeadline(after: timeout, failure: failure)
                do { outcome.finish(.success(try await work())) } catch { outcome.finish(.failure(error)) }
            }
            outcome.onFinish { worker.cancel() }
        }
    } onCancel: {
        outcome.finish(.failure(CancellationError()))
    }
}

/// Where a race's work runs: the executor the caller's task prefers (its connection's event loop,
/// set by the server for each request), so that the work's awaits resume on the thread that reads
/// their answers instead of hopping to the task pool and back; nil: the task pool.
public enum RaceWork {
    @TaskLocal public static var executor: (any TaskExecutor)?
}

/// The first result of a race, handed to its waiting caller exactly once; later ones are dropped.
final class RaceOutcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var finished = false
        var cleanup: (@Sendable () -> Void)?
        var deadline: UInt64?
    }

    private let state = Mutex(State())
    private let ticker: DeadlineTicker

    init(ticker: DeadlineTicker) {
        self.ticker = ticker
    }

    /// Fails the race with `failure` once `timeout` has passed from now, unless it is over by then.
    func armDeadline(after timeout: Duration, failure: @escaping @Sendable () -> any Error) {
        let id = ticker.arm(at: .now + timeout) { [self] in finish(.failure(failure())) }
        let over = state.withLock { state -> Bool in
            if state.finished { return true }
            state.deadline = id
            return false
        }
        if over { ticker.disarm(id) }
    }

    /// The caller waits on `continuation` (a result that came first is given at once).
    func begin(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// What to do once there is a result (cancel the racers): at once if there already is one.
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let finished = state.withLock { state -> Bool in
            if state.finished { return true }
            state.cleanup = cleanup
            return false
        }
        if finished { cleanup() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, cleanup, deadline) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?, UInt64?) in
            guard !state.finished else { return (nil, nil, nil) }
            state.finished = true
            if state.continuation == nil { state.early = result }
            defer { state.continuation = nil; state.cleanup = nil; state.deadline = nil }
            return (state.continuation, state.cleanup, state.deadline)
        }
        continuation?.resume(with: result)
        cleanup?()
        if let deadline { ticker.disarm(deadline) }
    }
}
