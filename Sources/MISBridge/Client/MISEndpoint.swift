import Foundation

/// One MIS gateway the registry talks to, and the clinics it serves.
public struct MISEndpoint: Sendable, Equatable {
    public let id: String
    /// The gateway URL, e.g. `http://127.0.0.1:8081/serverais`.
    public let url: String
    public let keyID: String
    public let secret: String
    /// Put before this gateway's clinic ids in the registry (`vendor-b.` makes its clinic «101»
    /// «vendor-b.101»), so that two gateways' clinics cannot share an id; empty for one gateway,
    /// or for the one gateway of several whose ids stay as they are.
    public let clinicPrefix: String

    public init(id: String, url: String, keyID: String, secret: String, clinicPrefix: String = "") {
        self.clinicPrefix = clinicPrefix
        self.id = id
        self.url = url
        self.keyID = keyID
        self.secret = secret
    }
}

/// Timing of calls to a gateway.
public struct MISCallPolicy: Sendable {
    /// The most a single attempt may take: connecting, sending and the whole answer.
    public var attemptTimeout: Duration = .seconds(3)
    /// The most one call may take with all its attempts and pauses; a page that waits for a MIS
    /// shows its "try again" page within this (and within its own `MISDeadline`).
    public var callBudget: Duration = .milliseconds(4_500)
    /// A retry is made only if at least this much of the budget is left for it.
    public var minimumAttempt: Duration = .milliseconds(500)
    /// Extra attempts for reads after a timeout or an unreachable gateway; writes are never repeated blindly.
    public var readRetries = 1
    /// Base pause before a retry; a random share of it is added as jitter.
    public var retryPause: Duration = .milliseconds(100)
    /// How long districts, clinics, specialties and doctors are reused.
    public var referenceLifetime: Duration = .seconds(30)
    /// How long a doctor's free times are shared. A booking through this client takes its time out
    /// of them, a cancellation through it drops them; so does the caller when the MIS says a time is taken.
    public var freeTimesLifetime: Duration = .seconds(5)

    public init() {}
}

/// The deadline of the work being served (a page): every MIS call made for it, retries included,
/// ends by then. Set by the web layer around each request; background work has none.
public enum MISDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?
}
