import Foundation

/// The deadlines of every race in the process, kept by one thread of its own that looks at them
/// every `tick` while any is armed, and fires those due through the task pool. A timer per race
/// (`Task.sleep`) stays armed in the runtime until its time even once the race is won — every
/// database and MIS call left one behind, each waking a thread seconds later; a race that ends now
/// just takes its deadline out of the list.
public final class DeadlineTicker: @unchecked Sendable {
    /// The one ticker of the process.
    public static let shared = DeadlineTicker(tick: .milliseconds(20))

    /// How late after its time a deadline may fire, at most (plus the scheduler's delay).
    public let tick: Duration

    private struct Armed {
        let at: ContinuousClock.Instant
        let fire: @Sendable () -> Void
    }

    /// Guards everything below, and wakes the thread when the first deadline is armed.
    private let condition = NSCondition()
    private var lastID: UInt64 = 0
    private var armed: [UInt64: Armed] = [:]
    private var started = false

    public init(tick: Duration) {
        self.tick = tick
    }

    /// Calls `fire` once `deadline` has passed, unless disarmed first; the id disarms it.
    public func arm(at deadline: ContinuousClock.Instant, _ fire: @escaping @Sendable () -> Void) -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            let thread = Thread { [self] in keepTime() }
            thread.name = "deadlines"
            thread.start()
        }
        lastID += 1
        armed[lastID] = Armed(at: deadline, fire: fire)
        if armed.count == 1 { condition.signal() }
        return lastID
    }

    /// Takes a deadline out before its time (its race is over); nothing if it has fired.
    public func disarm(_ id: UInt64) {
        condition.lock()
        armed.removeValue(forKey: id)
        condition.unlock()
    }

    /// How many deadlines wait (tests).
    public var armedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return armed.count
    }

    private func keepTime() {
        let pause = Double(tick.components.seconds) + Double(tick.components.attoseconds) / 1e18
        while true {
            condition.lock()
            while armed.isEmpty { condition.wait() }
            condition.unlock()
            Thread.sleep(forTimeInterval: pause)
            let now = ContinuousClock.now
            var due: [@Sendable () -> Void] = []
            condition.lock()
            for (id, deadline) in armed where deadline.at <= now {
                due.append(deadline.fire)
                armed.removeValue(forKey: id)
            }
            condition.unlock()
            // Through the task pool, like the work it ends: an answer that came first, queued
            // behind other tasks on a busy machine, is still taken before its deadline.
            if !due.isEmpty { Task { for fire in due { fire() } } }
        }
    }
}
