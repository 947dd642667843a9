import Foundation
import Synchronization

/// Stops calling an endpoint that keeps failing, so that one dead clinic does not slow the others:
/// after `threshold` outages in a row it opens for `cooldown`, then lets one trial call through.
public final class CircuitBreaker: Sendable {
    private struct State {
        var consecutiveFailures = 0
        var openedAt: ContinuousClock.Instant?
        var trialInFlight = false
    }

    private let threshold: Int
    private let cooldown: Duration
    private let state = Mutex(State())

    public init(threshold: Int = 5, cooldown: Duration = .seconds(15)) {
        self.threshold = threshold
        self.cooldown = cooldown
    }

    /// Whether a call may go out now.
    public func allowsCall(now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            guard let openedAt = state.openedAt else { return true }
            guard now - openedAt >= cooldown, !state.trialInFlight else { return false }
            state.trialInFlight = true
            return true
        }
    }

    public func recordSuccess() {
        state.withLock { $0 = State() }
    }

    public func recordOutage(now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            state.consecutiveFailures += 1
            state.trialInFlight = false
            if state.consecutiveFailures >= threshold { state.openedAt = now }
        }
    }

    /// Whether calls are being refused right now.
    public var isOpen: Bool {
        state.withLock { $0.openedAt != nil }
    }

    /// Where the breaker stands.
    public enum Phase: String, Sendable {
        /// Calls go out.
        case closed
        /// Calls are refused until the cooldown ends.
        case open
        /// The cooldown is over: one trial call may go (or is under way).
        case halfOpen = "half-open"
    }

    public func phase(now: ContinuousClock.Instant = .now) -> Phase {
        state.withLock { state in
            guard let openedAt = state.openedAt else { return .closed }
            return now - openedAt >= cooldown ? .halfOpen : .open
        }
    }
}
